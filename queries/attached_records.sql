-- name: attached_records
-- purpose: the records of one kind (deliverable, legal_act, meeting) that have live attachments, with how many; the read pages list their files
-- params: $entity (varchar: deliverable, legal_act, meeting)
select entity_id, count(*) as attachments
from attachment
where entity = $entity and cancelled_at is null
group by entity_id
order by entity_id
