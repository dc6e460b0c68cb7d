-- name: indicator_series
-- purpose: one indicator's values per period in a territory and the territories within it (or the whole programme), counted from the end of their period up to a date, each with its source, correction and target; plus one 'total' row per period: the value entered for the scope itself, or for counts and amounts the sum over the lowest level with values (QPV before communes before Conseils), never a sum of rates
-- params: $indicator_id (integer), $territory_id (integer; NULL: the whole programme), $as_of (date)
with recursive scope(id) as (
    select id from territory where id = $territory_id
    union
    select l.from_id
    from territory_link as l
    join scope as s on l.to_id = s.id
    where l.kind = 'within' and l.cancelled_at is null
),

ind as (
    select id, unit_kind in ('count', 'amount') as additive from indicator where id = $indicator_id
),

vals as (
    select
        v.id,
        v.period_start,
        v.territory_id,
        v.value,
        v.source_document,
        v.source_page,
        v.comment,
        v.recorded_by,
        v.version > 1 as corrected,
        v.updated_by,
        t.code as territory_code,
        t.name as territory_name,
        t.kind as territory_kind,
        case t.kind when 'metropole' then 1 when 'council' then 2 when 'commune' then 3
            when 'qpv' then 4 when 'watch' then 4 end as level,
        coalesce(v.territory_id = $territory_id, $territory_id is null and v.territory_id is null)
            as own
    from indicator_value as v
    left join territory as t on t.id = v.territory_id
    where v.indicator_id = $indicator_id
        and v.cancelled_at is null
        and period_end(v.period_start, (select periodicity from indicator where id = $indicator_id))
            <= $as_of
        and ($territory_id is null or v.territory_id in (select id from scope))
),

targets as (
    select period_start, territory_id, value
    from indicator_target
    where indicator_id = $indicator_id and cancelled_at is null
),

deepest as (
    select period_start, max(level) as level from vals where not own group by period_start
),

totals as (
    select
        p.period_start,
        max(v.value) filter (where v.own) as own_value,
        sum(v.value) filter (where not v.own and v.level = d.level) as rolled,
        count(*) filter (where not v.own and v.level = d.level) as parts,
        any_value(v.territory_kind) filter (where not v.own and v.level = d.level) as parts_kind
    from (select distinct period_start from vals) as p
    join vals as v on v.period_start = p.period_start
    left join deepest as d on d.period_start = p.period_start
    group by p.period_start
)

select
    'detail' as row_kind,
    v.period_start,
    v.territory_id,
    v.territory_code,
    v.territory_name,
    v.territory_kind,
    v.value,
    v.own,
    null::bigint as parts,
    null::varchar as parts_kind,
    v.source_document,
    v.source_page,
    v.comment,
    v.recorded_by,
    v.corrected,
    v.updated_by,
    coalesce(
        (select g.value from targets as g
         where g.period_start = v.period_start and g.territory_id = v.territory_id),
        case when not (select additive from ind) or v.own then
            (select g.value from targets as g
             where g.period_start = v.period_start and g.territory_id is null) end
    ) as target
from vals as v
union all
select
    'total' as row_kind,
    t.period_start,
    $territory_id::integer as territory_id,
    null as territory_code,
    null as territory_name,
    null as territory_kind,
    case when t.own_value is not null then t.own_value
        when (select additive from ind) then t.rolled end as value,
    t.own_value is not null as own,
    case when t.own_value is null and (select additive from ind) then t.parts end as parts,
    case when t.own_value is null and (select additive from ind) then t.parts_kind end
        as parts_kind,
    null as source_document,
    null as source_page,
    null as comment,
    null as recorded_by,
    false as corrected,
    null as updated_by,
    (select g.value from targets as g
     where g.period_start = t.period_start
        and g.territory_id is not distinct from $territory_id::integer) as target
from totals as t
order by period_start, row_kind, territory_name nulls first
