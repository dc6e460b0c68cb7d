-- name: item_programmes
-- purpose: the programme of many items at once (a bulk write's status events), with that programme's code: one pass over the item tables instead of one read by key per item
-- params: $phases (integer[]), $orientations (integer[]), $actions (integer[])
with items as (
    select 'phase' as kind, id, programme_id from phase where id = any($phases)
    union all
    select 'orientation', id, programme_id from orientation where id = any($orientations)
    union all
    select 'action', id, programme_id from action where id = any($actions)
)

select i.kind, i.id, pr.code
from items as i
join programme as pr on pr.id = i.programme_id
