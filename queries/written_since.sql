-- name: written_since
-- purpose: what one write transaction wrote in the logs after the watermarks it began with, for the read cache: each audit row's entity, id and the programmes its before and after images name (NULL when none), and each status event's item (its programme is the item's)
-- params: $audit_after (bigint), $event_after (bigint)
select
    id as log_id,
    false as status,
    entity as kind,
    entity_id as item_id,
    try_cast(before ->> 'programme_id' as integer) as programme_before,
    try_cast(after ->> 'programme_id' as integer) as programme_after
from audit_log
where id > $audit_after
union all
select id, true, item_kind, item_id::varchar, null, null
from status_event
where id > $event_after
