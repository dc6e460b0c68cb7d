-- One view over the work tree, so that reads on "any item" (status, decisions,
-- completeness) join one relation instead of repeating a three-way union.

create view work_item as
select
    'phase' as item_kind,
    ph.id as item_id,
    ph.programme_id,
    ph.id as phase_id,
    cast(null as integer) as orientation_id,
    ph.number as position,
    ph.title,
    ph.starts_on,
    ph.ends_on,
    ph.weight,
    ph.lead,
    ph.territory,
    ph.source_id
from phase as ph
union all
select
    'orientation',
    o.id,
    o.programme_id,
    o.phase_id,
    o.id,
    o.position,
    o.title,
    o.starts_on,
    o.ends_on,
    o.weight,
    o.lead,
    o.territory,
    o.source_id
from orientation as o
union all
select
    'action',
    a.id,
    o.programme_id,
    o.phase_id,
    a.orientation_id,
    -- actions have no stored position: they are listed in creation order (item_id)
    cast(null as integer),
    a.title,
    a.starts_on,
    a.ends_on,
    a.weight,
    a.lead,
    a.territory,
    a.source_id
from action as a
join orientation as o on o.id = a.orientation_id;

-- How far an item is, reading its status too: delivered or validated count as 100,
-- planned as 0 unless stated, cancelled not at all; otherwise the last stated progress.
create macro effective_progress(status, progress) as
    case
        when status in ('delivered', 'validated') then 100
        when status = 'planned' then coalesce(progress, 0)
        when status = 'cancelled' then null
        else progress
    end;

-- The status of every item as of a date: its latest event on or before that day
-- (events of one item are recorded in date order, so the highest id is the latest),
-- and the last progress stated. Only what the aggregates need: two arg_max are about
-- twice as fast as four on 1 000 000 events; who and when are read per item instead
-- (work_items, status_history).
create macro status_at(as_of) as table
with latest as (
    select
        item_kind,
        item_id,
        arg_max(to_status, id) as status,
        arg_max(progress, id) as progress
    from status_event
    where occurred_on <= as_of
    group by item_kind, item_id
)
select
    item_kind,
    item_id,
    status,
    progress,
    effective_progress(status, progress) as effective_progress
from latest;
