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
    cast(row_number() over (partition by a.orientation_id order by a.id) as integer),
    a.title,
    a.starts_on,
    a.ends_on,
    a.weight,
    a.lead,
    a.territory,
    a.source_id
from action as a
join orientation as o on o.id = a.orientation_id;
