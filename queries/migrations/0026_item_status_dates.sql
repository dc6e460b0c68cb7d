-- Speed of today's views (issue 28): item_status also keeps what a read "as of today"
-- needs from the log besides the latest status, so that such a read never scans the
-- log (1 000 000 events at national scale): who recorded the latest change, the day the
-- item first went « en cours », the day it was last delivered or validated. Kept by the
-- same writes as the rest of the row (status.change_status, status.revert); rebuilt here
-- from the events, so an upgraded database starts consistent.

alter table item_status add column status_by varchar;
alter table item_status add column started_on date;
alter table item_status add column finished_on date;

update item_status as s
set status_by = l.status_by, started_on = l.started_on, finished_on = l.finished_on
from (
    select
        item_kind,
        item_id,
        arg_max(actor, id) as status_by,
        min(occurred_on) filter (where to_status = 'in_progress') as started_on,
        max(occurred_on) filter (where to_status in ('delivered', 'validated')) as finished_on
    from status_event
    group by item_kind, item_id
) as l
where l.item_kind = s.item_kind and l.item_id = s.item_id;
