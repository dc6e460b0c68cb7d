-- name: territories
-- purpose: every territory with its kind, code, generation, the territories it lies in, its successor, and whether it was archived by a date; the list pages and filters read
-- params: $as_of (date)
with links as (
    select
        l.from_id,
        string_agg(p.name, ', ' order by p.name) filter (where l.kind = 'within') as within_names,
        list(p.id order by p.name) filter (where l.kind = 'within') as within_ids,
        list(p.code order by p.code) filter (where l.kind = 'within') as within_codes,
        any_value(p.code) filter (where l.kind = 'succeeded_by') as successor_code,
        any_value(p.name) filter (where l.kind = 'succeeded_by') as successor_name,
        string_agg(p.name || coalesce(' (' || p.code || ')', ''), ', ') filter (where l.kind = 'succeeded_by')
            as successor
    from territory_link as l
    join territory as p on p.id = l.to_id
    where l.cancelled_at is null
    group by l.from_id
)
select
    t.id,
    t.kind,
    t.code,
    t.name,
    t.generation,
    t.version,
    t.archived_on,
    coalesce(k.within_names, '') as within_names,
    coalesce(k.within_ids, []) as within_ids,
    coalesce(k.within_codes, []) as within_codes,
    k.successor_code,
    k.successor_name,
    k.successor,
    case t.kind when 'metropole' then 1 when 'council' then 2 when 'commune' then 3 else 4 end
        as level
from territory as t
left join links as k on k.from_id = t.id
where t.archived_on is null or t.archived_on > $as_of
order by level, t.generation desc nulls first, t.name, t.code
