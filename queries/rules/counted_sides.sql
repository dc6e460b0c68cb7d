-- name: counted_sides
-- purpose: what the items (from the day each exists), status events, weight changes and archivings of the chosen programmes dated from since to until add to their programme's counts, one row per side
-- params: since (date), until (date), chosen (integer[]), structure (boolean)
-- uses: chosen_items effective_progress
-- An item counts from the day it exists (+1, status unknown); an event counts on both
-- sides (+1 its new state, -1 the state before) at its date, or at the item's first
-- day when it is dated before it; a weight change moves the item's state from its old
-- weight to its new one from its day on (the events of that day and after carry the new
-- weight); an archiving removes the state and the item (archive_side).
create or replace macro counted_sides(since, until, chosen, structure) as table
with items as (
    select * from chosen_items(chosen)
),

-- items that begin to exist in the period: their events dated earlier count on that day
starting as (
    select * from items where exists_from between since and until
),

-- the events of the period, each joined once to its item (its weight, programme and
-- archiving day; only the items these events concern), then counted on both sides. A
-- recomputation (``structure``: a few programmes, every date) first keeps the events of
-- their items; a read (every programme, a few days) first keeps the days' events.
period as materialized (
    select e.*
    from status_event as e
    where e.occurred_on between since and until
        and (not structure or (e.item_kind, e.item_id) in (select item_kind, id from items))
    union all
    select e.*
    from status_event as e
    semi join starting as s on s.item_kind = e.item_kind and s.id = e.item_id
    where e.occurred_on < since
),

concerned as (
    select i.*
    from items as i
    semi join period as e on e.item_kind = i.item_kind and e.item_id = i.id
),

dated as (
    select i.programme_id, greatest(e.occurred_on, i.exists_from) as occurred_on, i.item_kind,
        i.id as item_id, i.weight, i.archived_on, e.to_status,
        coalesce(e.progress, e.from_progress) as to_progress, e.from_status, e.from_progress
    from period as e
    join concerned as i on i.item_kind = e.item_kind and i.id = e.item_id
),

-- each event with the weight in force on its day
joined as materialized (
    select d.programme_id, d.occurred_on, d.item_kind, coalesce(w.weight, d.weight) as weight,
        d.to_status, d.to_progress, d.from_status, d.from_progress
    from dated as d
    asof left join weight_change as w
        on w.item_kind = d.item_kind and w.item_id = d.item_id and d.occurred_on >= w.valid_from
    where d.occurred_on between since and until
        and (d.archived_on is null or d.occurred_on < d.archived_on)
),

events as (
    select programme_id, occurred_on, item_kind, weight, to_status as status,
        to_progress as progress, 1 as sign, 0 as total
    from joined
    union all
    select programme_id, occurred_on, item_kind, weight, from_status, from_progress, -1, 0
    from joined
),

structure as (
    select programme_id, exists_from as occurred_on, item_kind, weight,
        cast(null as varchar) as status, cast(null as integer) as progress, 1 as sign, 1 as total
    from items
    where exists_from between since and until
),

-- a weight change: the item's state on the eve of its day, taken out at the old weight
-- and put back at the new one
reweighted as (
    select i.programme_id, i.item_kind, i.id, i.exists_from, c.from_weight, c.weight,
        greatest(c.valid_from, i.exists_from) as occurred_on
    from weight_change as c
    join items as i on i.item_kind = c.item_kind and i.id = c.item_id
    where greatest(c.valid_from, i.exists_from) between since and until
        and (i.archived_on is null or greatest(c.valid_from, i.exists_from) < i.archived_on)
),

reweighted_state as (
    select r.programme_id, r.occurred_on, r.item_kind, r.from_weight, r.weight,
        arg_max(e.to_status, e.id) as status,
        arg_max(coalesce(e.progress, e.from_progress), e.id) as progress
    from reweighted as r
    left join status_event as e on e.item_kind = r.item_kind and e.item_id = r.id
        and greatest(e.occurred_on, r.exists_from) < r.occurred_on
    group by r.programme_id, r.occurred_on, r.item_kind, r.id, r.from_weight, r.weight
),

reweightings as (
    select programme_id, occurred_on, item_kind, from_weight as weight, status, progress,
        -1 as sign, 0 as total
    from reweighted_state
    union all
    select programme_id, occurred_on, item_kind, weight, status, progress, 1, 0
    from reweighted_state
),

archivings as (
    select programme_id, occurred_on, item_kind, weight, status, progress, -1, -1
    from archive_side
    where programme_id in (select unnest(chosen)) and occurred_on between since and until
),

sides as (
    select * from events
    union all select * from structure
    union all select * from reweightings
    union all select * from archivings
)

select
    programme_id,
    occurred_on,
    total * (item_kind = 'phase')::integer as phases_total,
    sign * (item_kind = 'phase' and coalesce(status in ('delivered', 'validated'), false))::integer
        as phases_delivered,
    sign * (item_kind = 'phase' and status is null)::integer as phases_unknown,
    total * (item_kind = 'orientation')::integer as orientations_total,
    total * (item_kind = 'action')::integer as actions_total,
    total as items_total,
    sign * coalesce(status = 'planned', false)::integer as planned,
    sign * coalesce(status = 'in_progress', false)::integer as in_progress,
    sign * coalesce(status = 'delivered', false)::integer as delivered,
    sign * coalesce(status = 'validated', false)::integer as validated,
    sign * coalesce(status = 'blocked', false)::integer as blocked,
    sign * coalesce(status = 'cancelled', false)::integer as cancelled,
    sign * (status is null)::integer as status_unknown,
    sign * (effective_progress(status, progress) is not null)::integer as progress_known,
    cast(sign * case when effective_progress(status, progress) is not null then weight else 0 end
        as decimal(38, 2)) as weight_known,
    cast(sign * weight * coalesce(effective_progress(status, progress), 0) as decimal(38, 2))
        as weighted_sum
from sides;
