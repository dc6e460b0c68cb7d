-- name: territory_tags
-- purpose: the live territories of every record of one kind (actions, deliverables or budget lines), to filter them by territory
-- params: $entity (varchar: action, deliverable, budget_line)
select entity_id, list(territory_id order by territory_id) as territory_ids
from territory_tag
where entity = $entity and cancelled_at is null
group by entity_id
order by entity_id
