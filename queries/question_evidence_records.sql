-- name: question_evidence_records
-- purpose: the live evidence of each question (indicators by code, deliverables by title) with the question's rank and programme; the export and the question page read them
-- params: $programme_code (varchar; NULL: every programme)
select
    pr.code as programme_code,
    q.position as question_position,
    e.id as evidence_link_id,
    e.evidence_kind,
    coalesce(i.code, d.title) as evidence_name,
    e.note
from question_evidence as e
join eval_question as q on q.id = e.question_id
join programme as pr on pr.id = q.programme_id
left join indicator as i on e.evidence_kind = 'indicator' and i.id = e.evidence_id
left join deliverable as d on e.evidence_kind = 'deliverable' and d.id = e.evidence_id
where e.cancelled_at is null and q.archived_on is null
    and ($programme_code is null or pr.code = $programme_code)
order by pr.code, q.position, e.id
