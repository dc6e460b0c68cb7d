-- name: events_written
-- purpose: the status events one write transaction wrote (after the watermark it began with), for the read cache: each event's item and the day it counts from
-- params: $event_after (bigint)
select id as log_id, item_kind, item_id, occurred_on
from status_event
where id > $event_after
