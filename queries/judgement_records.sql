-- name: judgement_records
-- purpose: every version of every answer (cancelled ones left out), in order, with its criteria judged, their evidence named as a file names it (indicator code with territory and periods, deliverable title, decision by committee, date and text, document with article and excerpt) and the decision that validated it: the export writes them in the shape cdv load reads
-- params: $programme_code (varchar; NULL: every programme)
with pieces as (
    select
        e.criterion_judgement_id,
        list({
            'kind': e.kind,
            'indicator': i.code,
            'territory_kind': t.kind,
            'territory_code': t.code,
            'territory_name': t.name,
            'period_from': e.period_from,
            'period_to': e.period_to,
            'deliverable': dl.title,
            'decision_committee': dc.name,
            'decision_held_on': dm.held_on,
            'decision_text': d.text,
            'document': s.document,
            'article': s.article,
            'excerpt': s.excerpt,
            'note': e.note
        } order by e.id) as evidence
    from judgement_evidence as e
    left join indicator as i on i.id = e.indicator_id
    left join territory as t on t.id = e.territory_id
    left join deliverable as dl on dl.id = e.deliverable_id
    left join decision as d on d.id = e.decision_id
    left join meeting as dm on dm.id = d.meeting_id
    left join committee as dc on dc.id = dm.committee_id
    left join source_ref as s on s.id = e.source_id
    where e.cancelled_at is null
    group by e.criterion_judgement_id
),

criteria as (
    select
        cj.judgement_id,
        list({
            'criterion': c.position,
            'verdict': cj.verdict,
            'reasoning': cj.reasoning,
            'strength': cj.strength,
            'strength_reason': cj.strength_reason,
            'evidence': coalesce(p.evidence, [])
        } order by c.position) as criteria
    from criterion_judgement as cj
    join eval_criterion as c on c.id = cj.criterion_id
    left join pieces as p on p.criterion_judgement_id = cj.id
    where cj.cancelled_at is null
    group by cj.judgement_id
)

select
    pr.code as programme_code,
    q.position as question,
    j.version_no,
    j.answer,
    j.limits,
    j.written_by,
    j.written_on,
    vc.name as validated_committee,
    vm.held_on as validated_held_on,
    vd.text as validated_text,
    coalesce(c.criteria, []) as criteria
from judgement as j
join eval_question as q on q.id = j.question_id
join programme as pr on pr.id = q.programme_id
left join criteria as c on c.judgement_id = j.id
left join decision as vd on vd.id = j.validated_decision_id
left join meeting as vm on vm.id = vd.meeting_id
left join committee as vc on vc.id = vm.committee_id
where j.cancelled_at is null
    and ($programme_code is null or pr.code = $programme_code)
order by pr.code, q.position, j.version_no
