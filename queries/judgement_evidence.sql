-- name: judgement_evidence
-- purpose: the evidence behind each criterion judged in the versions shown at a date (as in criterion_judgements): an indicator with its territory and periods and how many values it covers, a deliverable, a committee decision with its meeting, or a document with its article or page and excerpt
-- params: $programme_code (varchar; NULL: every programme), $as_of (date)
with shown as (
    select cj.id
    from judgements_at($as_of) as a
    join eval_question as q on q.id = a.question_id
    join programme as pr on pr.id = q.programme_id
    join criterion_judgement as cj on cj.judgement_id = a.judgement_id
    where ($programme_code is null or pr.code = $programme_code)
        and cast(cj.recorded_at as date) <= $as_of
        and (cj.cancelled_at is null or cast(cj.cancelled_at as date) > $as_of)
),

value_counts as (
    select e.id, count(v.id) as values_count
    from judgement_evidence as e
    left join indicator_value as v
        on v.indicator_id = e.indicator_id
        and v.cancelled_at is null
        and cast(v.recorded_at as date) <= $as_of
        and (e.territory_id is null or v.territory_id = e.territory_id)
        and (e.period_from is null or v.period_start >= e.period_from)
        and (e.period_to is null or v.period_start <= e.period_to)
    where e.kind = 'indicator'
    group by e.id
)

select
    e.id,
    e.criterion_judgement_id,
    e.kind,
    e.indicator_id,
    i.code as indicator_code,
    i.name as indicator_name,
    i.periodicity,
    t.kind as territory_kind,
    t.code as territory_code,
    t.name as territory_name,
    e.period_from,
    e.period_to,
    coalesce(vc.values_count, 0) as values_count,
    dl.title as deliverable_title,
    d.text as decision_text,
    m.held_on as decision_on,
    c.name as committee_name,
    s.document as source_document,
    s.article as source_article,
    s.excerpt as source_excerpt,
    e.note
from judgement_evidence as e
left join indicator as i on i.id = e.indicator_id
left join territory as t on t.id = e.territory_id
left join value_counts as vc on vc.id = e.id
left join deliverable as dl on dl.id = e.deliverable_id
left join decision as d on d.id = e.decision_id
left join meeting as m on m.id = d.meeting_id
left join committee as c on c.id = m.committee_id
left join source_ref as s on s.id = e.source_id
where e.criterion_judgement_id in (select id from shown)
    and cast(e.recorded_at as date) <= $as_of
    and (e.cancelled_at is null or cast(e.cancelled_at as date) > $as_of)
order by e.criterion_judgement_id, e.kind, e.id
