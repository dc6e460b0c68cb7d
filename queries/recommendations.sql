-- name: recommendations
-- purpose: the recommendations of a programme (or all) known at a date — recorded by then, not cancelled — with the question they stem from (and the judged criterion, when one), their owner, due date, status at that date (the latest event dated and recorded by then, with its decision, evidence or reason) and whether they are late (due before that date and neither implemented nor abandoned)
-- params: $programme_code (varchar; NULL: every programme), $as_of (date)
with known as (
    select r.*, pr.code as programme_code
    from recommendation as r
    join programme as pr on pr.id = r.programme_id
    where r.cancelled_at is null
        and cast(r.created_at as date) <= $as_of
        and ($programme_code is null or pr.code = $programme_code)
),

latest as (
    select
        e.recommendation_id,
        arg_max(e.status, e.id) as status,
        arg_max(e.occurred_on, e.id) as status_on,
        arg_max(e.decision_id, e.id) as decision_id,
        arg_max(e.evidence, e.id) as evidence,
        arg_max(e.reason, e.id) as reason,
        arg_max(e.recorded_by, e.id) as status_by
    from recommendation_event as e
    where e.occurred_on <= $as_of and cast(e.recorded_at as date) <= $as_of
    group by e.recommendation_id
),

final as (
    select
        k.id,
        k.programme_code,
        k.text,
        k.due_on,
        k.version,
        q.position as question_position,
        q.text as question_text,
        c.position as criterion_position,
        c.text as criterion_text,
        cj.verdict as criterion_verdict,
        coalesce(o.name, p.full_name) as owner,
        coalesce(l.status, 'proposed') as status,
        l.status_on,
        l.status_by,
        d.text as decision_text,
        m.held_on as decision_on,
        l.evidence,
        l.reason,
        coalesce(l.status, 'proposed') not in ('implemented', 'abandoned') as open,
        coalesce(l.status, 'proposed') not in ('implemented', 'abandoned')
            and k.due_on < $as_of as late
    from known as k
    join eval_question as q on q.id = k.question_id
    left join criterion_judgement as cj on cj.id = k.criterion_judgement_id
    left join eval_criterion as c on c.id = cj.criterion_id
    left join organisation as o on o.id = k.owner_organisation_id
    left join person as p on p.id = k.owner_person_id
    left join latest as l on l.recommendation_id = k.id
    left join decision as d on d.id = l.decision_id
    left join meeting as m on m.id = d.meeting_id
)

select * from final
order by programme_code, open desc, due_on, id
