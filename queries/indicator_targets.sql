-- name: indicator_targets
-- purpose: the live targets of the live indicators of a programme (or all), with the indicator's code and periodicity and the territory's kind, code and name (none: the whole programme); the export reads them
-- params: $programme_code (varchar; NULL: every programme)
select
    pr.code as programme_code,
    i.code as indicator_code,
    i.periodicity,
    g.period_start,
    t.kind as territory_kind,
    t.code as territory_code,
    t.name as territory_name,
    g.value,
    g.source_document
from indicator_target as g
join indicator as i on i.id = g.indicator_id
join programme as pr on pr.id = i.programme_id
left join territory as t on t.id = g.territory_id
where g.cancelled_at is null and i.archived_on is null
    and ($programme_code is null or pr.code = $programme_code)
order by pr.code, i.code, g.period_start, t.code nulls first
