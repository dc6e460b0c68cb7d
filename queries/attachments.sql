-- name: attachments
-- purpose: the live (not cancelled) attachments of one record, newest first, with their file's hash, size and type
-- params: $entity (varchar: deliverable, legal_act, meeting), $entity_id (integer)
select
    a.id,
    a.file_name,
    a.recorded_by,
    a.recorded_at,
    f.sha256,
    f.size_bytes,
    f.media_type
from attachment as a
join stored_file as f on f.id = a.file_id
where a.entity = $entity and a.entity_id = $entity_id and a.cancelled_at is null
order by a.recorded_at desc, a.id desc
