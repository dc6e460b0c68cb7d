-- name: judgements
-- purpose: the answers to the evaluative questions of a programme (or all) at a date: for each question, the version in force then (validated by a committee decision held and recorded by then) and the draft known then, with who wrote it and when, its limits and the decision that validated it
-- params: $programme_code (varchar; NULL: every programme), $as_of (date)
select
    j.id,
    pr.code as programme_code,
    q.id as question_id,
    q.position as question_position,
    q.text as question_text,
    a.role,
    j.version_no,
    j.answer,
    j.limits,
    j.written_by,
    j.written_on,
    j.validated_on,
    j.validated_by,
    d.text as decision_text,
    c.name as committee_name,
    j.version
from judgements_at($as_of) as a
join judgement as j on j.id = a.judgement_id
join eval_question as q on q.id = j.question_id
join programme as pr on pr.id = q.programme_id
left join decision as d on d.id = j.validated_decision_id and a.role = 'in_force'
left join meeting as m on m.id = d.meeting_id
left join committee as c on c.id = m.committee_id
where ($programme_code is null or pr.code = $programme_code)
    and (q.archived_on is null or q.archived_on > $as_of)
order by pr.code, q.position, q.id, a.role desc
