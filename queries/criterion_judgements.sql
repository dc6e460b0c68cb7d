-- name: criterion_judgements
-- purpose: the criteria judged in each version of an answer shown at a date (in force or draft, as in judgements): the verdict, its reasoning, the strength of the evidence and its reason, and what the evidence covers then — pieces, kinds, distinct documents, territories and periods of the indicator values it rests on (the programme as a whole counts as one territory), and how many of those values were corrected
-- params: $programme_code (varchar; NULL: every programme), $as_of (date)
with shown as (
    select a.judgement_id, a.role
    from judgements_at($as_of) as a
    join eval_question as q on q.id = a.question_id
    join programme as pr on pr.id = q.programme_id
    where $programme_code is null or pr.code = $programme_code
),

judged as (
    select cj.*, s.role
    from criterion_judgement as cj
    join shown as s on s.judgement_id = cj.judgement_id
    where cast(cj.recorded_at as date) <= $as_of
        and (cj.cancelled_at is null or cast(cj.cancelled_at as date) > $as_of)
),

pieces as (
    select e.*
    from judgement_evidence as e
    where e.criterion_judgement_id in (select id from judged)
        and cast(e.recorded_at as date) <= $as_of
        and (e.cancelled_at is null or cast(e.cancelled_at as date) > $as_of)
),

values_used as (
    select p.criterion_judgement_id, v.territory_id, v.period_start, v.version > 1 as corrected
    from pieces as p
    join indicator_value as v on v.indicator_id = p.indicator_id
    where p.kind = 'indicator'
        and v.cancelled_at is null
        and cast(v.recorded_at as date) <= $as_of
        and (p.territory_id is null or v.territory_id = p.territory_id)
        and (p.period_from is null or v.period_start >= p.period_from)
        and (p.period_to is null or v.period_start <= p.period_to)
),

coverage as (
    select
        p.criterion_judgement_id,
        count(*) as pieces,
        count(distinct p.kind) as kinds,
        count(distinct s.document) as documents
    from pieces as p
    left join source_ref as s on s.id = p.source_id
    group by p.criterion_judgement_id
),

spread as (
    select
        criterion_judgement_id,
        count(*) as values_count,
        count(distinct coalesce(territory_id, -1)) as territories,
        count(distinct period_start) as periods,
        count(*) filter (where corrected) as corrected_values
    from values_used
    group by criterion_judgement_id
)

select
    j.id,
    j.judgement_id,
    j.role,
    j.criterion_id,
    c.position as criterion_position,
    c.text as criterion_text,
    j.verdict,
    j.reasoning,
    j.strength,
    j.strength_reason,
    j.recorded_by,
    coalesce(v.pieces, 0) as pieces,
    coalesce(v.kinds, 0) as kinds,
    coalesce(v.documents, 0) as documents,
    coalesce(s.values_count, 0) as values_count,
    coalesce(s.territories, 0) as territories,
    coalesce(s.periods, 0) as periods,
    coalesce(s.corrected_values, 0) as corrected_values
from judged as j
join eval_criterion as c on c.id = j.criterion_id
left join coverage as v on v.criterion_judgement_id = j.id
left join spread as s on s.criterion_judgement_id = j.id
order by j.judgement_id, c.position, j.id
