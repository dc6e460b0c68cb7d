-- name: recommendation_records
-- purpose: every live recommendation with its question, the judged criterion it stems from, its owner named as a file names it (organisation code, or person and organisation), its due date, the day it was proposed and every state in order (with the decision by committee, date and text): the export writes them in the shape cdv load reads
-- params: $programme_code (varchar; NULL: every programme)
with states as (
    select
        e.recommendation_id,
        min(e.occurred_on) filter (where e.status = 'proposed') as proposed_on,
        list({
            'status': e.status,
            'occurred_on': e.occurred_on,
            'decision_committee': c.name,
            'decision_held_on': m.held_on,
            'decision_text': d.text,
            'evidence': e.evidence,
            'reason': e.reason
        } order by e.id) as states
    from recommendation_event as e
    left join decision as d on d.id = e.decision_id
    left join meeting as m on m.id = d.meeting_id
    left join committee as c on c.id = m.committee_id
    group by e.recommendation_id
)

select
    pr.code as programme_code,
    q.position as question,
    ec.position as criterion,
    r.text,
    o.code as owner_organisation_code,
    p.full_name as owner_person,
    po.code as owner_person_organisation,
    r.due_on,
    s.proposed_on,
    coalesce(s.states, []) as states
from recommendation as r
join programme as pr on pr.id = r.programme_id
join eval_question as q on q.id = r.question_id
left join criterion_judgement as cj on cj.id = r.criterion_judgement_id
left join eval_criterion as ec on ec.id = cj.criterion_id
left join organisation as o on o.id = r.owner_organisation_id
left join person as p on p.id = r.owner_person_id
left join organisation as po on po.id = p.organisation_id
left join states as s on s.recommendation_id = r.id
where r.cancelled_at is null
    and ($programme_code is null or pr.code = $programme_code)
order by pr.code, q.position, r.id
