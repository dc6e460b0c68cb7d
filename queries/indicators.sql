-- name: indicators
-- purpose: the live indicators of a programme (or all) as they stood at a date (the programme there then: programme_start; the indicator existing then: not_yet), with what they are attached to (criterion and its question, orientation or action) and their baseline; the référentiel page and the entry forms read it
-- params: $programme_code (varchar; NULL: every programme), $as_of (date)
select
    i.id,
    pr.code as programme_code,
    i.code,
    i.name,
    i.unit,
    i.unit_kind,
    i.direction,
    i.periodicity,
    i.baseline_value,
    i.baseline_on,
    i.baseline_source,
    i.description,
    i.version,
    i.criterion_id,
    c.text as criterion_text,
    c.position as criterion_position,
    q.id as question_id,
    q.position as question_position,
    i.orientation_id,
    o.title as orientation_title,
    i.action_id,
    a.title as action_title
from indicator as i
join programme as pr on pr.id = i.programme_id
left join eval_criterion as c on c.id = i.criterion_id
left join eval_question as q on q.id = c.question_id
left join orientation as o on o.id = i.orientation_id
left join action as a on a.id = i.action_id
join programme_start as ps on ps.programme_id = pr.id
where ($programme_code is null or pr.code = $programme_code)
    and ps.starts_on <= $as_of
    and i.id not in (select entity_id from not_yet('indicator', $as_of))
    and (i.archived_on is null or i.archived_on > $as_of)
order by pr.code, i.code
