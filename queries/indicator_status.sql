-- name: indicator_status
-- purpose: every live indicator of a programme (or all) existing at a date (its programme there then): its baseline, its number of targets, the latest period ended by then with a value, and whether it is on track, with the latest total and its target for counts and amounts. Counts and amounts are judged on their total (the value entered for the whole programme, else the sum over the lowest level of territories with values) against the programme's target, and on each territory's total (its own value, else the sum over the lowest level of the territories within it) against that territory's target, as its chart reads it; rates and others on each territory's latest value against that territory's target, else the programme's; higher or lower is better as the indicator says
-- params: $programme_code (varchar; NULL: every programme), $as_of (date)
with recursive inds as (
    select
        i.*,
        pr.code as programme_code,
        i.unit_kind in ('count', 'amount') as additive
    from indicator as i
    join programme as pr on pr.id = i.programme_id
    where ($programme_code is null or pr.code = $programme_code)
        and pr.id in (select programme_id from programme_start where starts_on <= $as_of)
        and i.id not in (select entity_id from not_yet('indicator', $as_of))
        and (i.archived_on is null or i.archived_on > $as_of)
        and (pr.archived_on is null or pr.archived_on > $as_of)
),

vals as (
    select
        v.indicator_id,
        v.period_start,
        v.territory_id,
        v.value,
        case t.kind when 'metropole' then 1 when 'council' then 2 when 'commune' then 3
            when 'qpv' then 4 when 'watch' then 4 else 0 end as level
    from indicator_value as v
    join inds as i on i.id = v.indicator_id
    left join territory as t on t.id = v.territory_id
    where v.cancelled_at is null
        and period_end(v.period_start, i.periodicity) <= $as_of
),

targets as (
    select g.indicator_id, g.period_start, g.territory_id, g.value
    from indicator_target as g
    join inds as i on i.id = g.indicator_id
    where g.cancelled_at is null
),

-- counts and amounts: one total per period
totals as (
    select
        v.indicator_id,
        v.period_start,
        coalesce(
            max(v.value) filter (where v.territory_id is null),
            sum(v.value) filter (where v.level = d.level)
        ) as value
    from vals as v
    join inds as i on i.id = v.indicator_id and i.additive
    join (
        select indicator_id, period_start, max(level) as level
        from vals group by all
    ) as d on d.indicator_id = v.indicator_id and d.period_start = v.period_start
    group by all
),

-- counts and amounts with a target set for a territory: that territory's total too (its
-- own value, else the sum over the lowest level of the territories within it), one
-- reading of targets for the table, the summary, the packs and the territory's chart
targeted as (
    select distinct g.indicator_id, g.territory_id as root
    from targets as g
    join inds as i on i.id = g.indicator_id and i.additive
    where g.territory_id is not null
),

down(indicator_id, root, member) as (
    select indicator_id, root, root from targeted
    union
    select d.indicator_id, d.root, l.from_id
    from down as d
    join territory_link as l on l.to_id = d.member and l.kind = 'within' and l.cancelled_at is null
),

root_vals as (
    select d.indicator_id, d.root, v.period_start, v.value, v.level, v.territory_id = d.root as own
    from down as d
    join vals as v on v.indicator_id = d.indicator_id and v.territory_id = d.member
),

root_totals as (
    select
        r.indicator_id,
        r.root as territory_id,
        r.period_start,
        coalesce(
            max(r.value) filter (where r.own),
            sum(r.value) filter (where not r.own and r.level = (
                select max(x.level) from root_vals as x
                where x.indicator_id = r.indicator_id and x.root = r.root
                    and x.period_start = r.period_start and not x.own))
        ) as value
    from root_vals as r
    group by r.indicator_id, r.root, r.period_start
),

-- the series judged: the total for counts and amounts (the programme's, and each targeted
-- territory's), each territory for the others
series as (
    select indicator_id, null::integer as territory_id, period_start, value from totals
    union all
    select indicator_id, territory_id, period_start, value from root_totals
    where value is not null
    union all
    select v.indicator_id, v.territory_id, v.period_start, v.value
    from vals as v
    join inds as i on i.id = v.indicator_id and not i.additive
),

latest as (
    select
        indicator_id,
        territory_id,
        arg_max(period_start, period_start) as period_start,
        arg_max(value, period_start) as value
    from series
    group by all
),

judged as (
    select
        l.*,
        coalesce(
            (select g.value from targets as g
             where g.indicator_id = l.indicator_id and g.period_start = l.period_start
                and g.territory_id is not distinct from l.territory_id),
            (select g.value from targets as g
             where g.indicator_id = l.indicator_id and g.period_start = l.period_start
                and g.territory_id is null and l.territory_id is not null
                -- a territory's total is judged on its own target only (the programme's
                -- target is the programme total's)
                and not (select i.additive from inds as i where i.id = l.indicator_id))
        ) as target
    from latest as l
),

verdicts as (
    select
        j.indicator_id,
        max(j.period_start) as latest_period,
        count(*) as series,
        count(j.target) as judged,
        count(*) filter (where j.target is not null and (
            (i.direction = 'up' and j.value >= j.target)
            or (i.direction = 'down' and j.value <= j.target))) as met,
        max(j.value) filter (where i.additive and j.territory_id is null) as total_value,
        max(j.target) filter (where i.additive and j.territory_id is null) as total_target
    from judged as j
    join inds as i on i.id = j.indicator_id
    group by all
)

select
    i.id,
    i.programme_code,
    i.code,
    i.name,
    i.unit,
    i.unit_kind,
    i.direction,
    i.periodicity,
    i.criterion_id,
    i.baseline_value,
    i.baseline_on,
    i.baseline_source,
    (select count(*) from targets as g where g.indicator_id = i.id) as targets,
    v.latest_period,
    coalesce(v.series, 0) as series,
    coalesce(v.judged, 0) as judged,
    coalesce(v.met, 0) as met,
    v.total_value,
    v.total_target,
    case
        when v.series is null then 'no_value'
        when v.judged = 0 then 'no_target'
        when v.met = v.judged then 'on_track'
        else 'off_track'
    end as track
from inds as i
left join verdicts as v on v.indicator_id = i.id
order by i.programme_code, i.code
