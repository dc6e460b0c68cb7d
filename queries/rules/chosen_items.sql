-- name: chosen_items
-- purpose: the items of the chosen programmes, each with the day from which it exists and its weight on that day (its first weight when it was reweighted since)
-- params: chosen (integer[])
-- uses: record_start
create or replace macro chosen_items(chosen) as table
with items as (
    select programme_id, 'phase' as item_kind, id, weight, archived_on from phase
    where programme_id in (select unnest(chosen))
    union all
    select programme_id, 'orientation', id, weight, archived_on from orientation
    where programme_id in (select unnest(chosen))
    union all
    select programme_id, 'action', id, weight, archived_on from action
    where programme_id in (select unnest(chosen))
),

first_weight as (
    select item_kind, item_id, arg_min(from_weight, valid_from) as weight
    from weight_change
    group by item_kind, item_id
)

select
    i.programme_id,
    i.item_kind,
    i.id,
    coalesce(f.weight, i.weight) as weight,
    i.archived_on,
    coalesce(r.starts_on, date '0001-01-01') as exists_from
from items as i
left join record_start as r on r.entity = i.item_kind and r.entity_id = i.id
left join first_weight as f on f.item_kind = i.item_kind and f.item_id = i.id;
