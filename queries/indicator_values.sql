-- name: indicator_values
-- purpose: the live values of one indicator with their ids and versions, newest period first (the correction form reads them)
-- params: $indicator_id (integer)
select
    v.id as value_id,
    v.period_start,
    v.territory_id,
    v.value,
    v.source_document,
    v.source_page,
    v.comment,
    v.version
from indicator_value as v
left join territory as t on t.id = v.territory_id
where v.indicator_id = $indicator_id and v.cancelled_at is null
order by v.period_start desc, t.name nulls first
