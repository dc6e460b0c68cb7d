-- name: eval_questions
-- purpose: the evaluative questions of a programme (or all) as they stood at a date (existing then, their programme there then): text, criteria, the état de la réponse then (latest state event recorded by then; none: non commencée) and the evidence behind it (live indicator and deliverable links)
-- params: $programme_code (varchar; NULL: every programme), $as_of (date)
with states as (
    select
        e.question_id,
        arg_max(e.answer_state, e.id) as answer_state,
        arg_max(e.answer, e.id) as answer,
        arg_max(e.recorded_by, e.id) as state_by,
        arg_max(e.recorded_at, e.id) as state_at
    from question_state_event as e
    where e.recorded_at < $as_of + interval 1 day
    group by e.question_id
),

criteria as (
    select
        question_id,
        list({'id': id, 'position': position, 'text': text} order by position, id) as criteria
    from eval_criterion
    where (archived_on is null or archived_on > $as_of)
        and id not in (select entity_id from not_yet('eval_criterion', $as_of))
    group by question_id
),

evidence as (
    select
        question_id,
        count(*) filter (where evidence_kind = 'indicator') as indicators,
        count(*) filter (where evidence_kind = 'deliverable') as deliverables
    from question_evidence
    where cancelled_at is null and recorded_at < $as_of + interval 1 day
    group by question_id
)

select
    q.id,
    pr.code as programme_code,
    q.position,
    q.text,
    q.version,
    coalesce(s.answer_state, 'not_started') as answer_state,
    s.answer,
    s.state_by,
    s.state_at,
    coalesce(c.criteria, []) as criteria,
    coalesce(e.indicators, 0) as evidence_indicators,
    coalesce(e.deliverables, 0) as evidence_deliverables
from eval_question as q
join programme as pr on pr.id = q.programme_id
left join states as s on s.question_id = q.id
left join criteria as c on c.question_id = q.id
left join evidence as e on e.question_id = q.id
where ($programme_code is null or pr.code = $programme_code)
    and pr.id in (select programme_id from programme_start where starts_on <= $as_of)
    and q.id not in (select entity_id from not_yet('eval_question', $as_of))
    and (q.archived_on is null or q.archived_on > $as_of)
    and (pr.archived_on is null or pr.archived_on > $as_of)
order by pr.code, q.position, q.id
