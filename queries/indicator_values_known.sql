-- name: indicator_values_known
-- purpose: every live value, recorded by a date, of the live indicators of a programme (or all) of the periods ended by that date, with its territory, target (the territory's, else the programme's), source and whether it was corrected: the workbook's sheet of values
-- params: $programme_code (varchar; NULL: every programme), $as_of (date)
select
    pr.code as programme_code,
    i.code as indicator_code,
    i.name as indicator_name,
    i.unit,
    i.periodicity,
    v.period_start,
    t.kind as territory_kind,
    t.code as territory_code,
    t.name as territory_name,
    v.value,
    coalesce(
        (select g.value from indicator_target as g
         where g.indicator_id = v.indicator_id and g.period_start = v.period_start
            and g.territory_id is not distinct from v.territory_id and g.cancelled_at is null
            ),
        (select g.value from indicator_target as g
         where g.indicator_id = v.indicator_id and g.period_start = v.period_start
            and g.territory_id is null and g.cancelled_at is null
            and i.unit_kind not in ('count', 'amount'))
    ) as target,
    v.source_document,
    v.source_page,
    v.comment,
    v.recorded_by,
    v.version > 1 as corrected,
    v.updated_by,
    i.id as indicator_id,
    i.unit_kind,
    v.territory_id
from indicator_value as v
join indicator as i on i.id = v.indicator_id
join programme as pr on pr.id = i.programme_id
left join territory as t on t.id = v.territory_id
where ($programme_code is null or pr.code = $programme_code)
    and v.cancelled_at is null
    and cast(v.recorded_at as date) <= $as_of
    and period_end(v.period_start, i.periodicity) <= $as_of
    and pr.id in (select programme_id from programme_start where starts_on <= $as_of)
    and i.id not in (select entity_id from not_yet('indicator', $as_of))
    and (i.archived_on is null or i.archived_on > $as_of)
order by pr.code, i.code, v.period_start, t.name nulls first
