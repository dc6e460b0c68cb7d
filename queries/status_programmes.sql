-- name: status_programmes
-- purpose: the programme of one item (phase, orientation, action), with that programme's code, read by the item's key: where the read cache places a status event
-- params: $item_kind (varchar), $item_id (integer)
select pr.code
from (
    select programme_id from phase where $item_kind = 'phase' and id = $item_id
    union all
    select programme_id from orientation where $item_kind = 'orientation' and id = $item_id
    union all
    select programme_id from action where $item_kind = 'action' and id = $item_id
) as i
join programme as pr on pr.id = i.programme_id
