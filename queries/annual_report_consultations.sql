-- name: annual_report_consultations
-- purpose: the bodies a draft rapport annuel was sent to, as known at a date: municipal council, conseil citoyen or other signatory, day sent, deadline (at least one month), state then (answered with its opinion, deemed favourable, pending), the opinion's summary and the files annexed, names and attachment ids (attached to the consultation, or to the conseil citoyen's own opinion)
-- params: $report_id (integer), $as_of (date)
with opinion_files as (
    select a.entity, a.entity_id, list(a.file_name order by a.id) as files,
        list(a.id order by a.id) as attachment_ids
    from attachment as a
    where a.entity in ('annual_report_consultation', 'citizen_council_opinion')
        and a.cancelled_at is null and cast(a.recorded_at as date) <= $as_of
    group by a.entity, a.entity_id
),

final as (
    select
        c.id as consultation_id,
        c.consulted,
        coalesce(o.name, cc.name) as body,
        c.organisation_id,
        c.council_id,
        c.sent_on,
        c.delay_months,
        c.deadline_on,
        c.state,
        c.answered_late,
        case when c.answered_on <= $as_of then c.answered_on end as answered_on,
        case when c.answered_on <= $as_of then c.opinion end as opinion,
        case when c.answered_on <= $as_of then c.summary end as summary,
        coalesce(fc.files, fo.files, []) as files,
        coalesce(fc.attachment_ids, fo.attachment_ids, []) as attachment_ids,
        c.version
    from consultation_state_at($as_of) as c
    left join organisation as o on o.id = c.organisation_id
    left join citizen_council as cc on cc.id = c.council_id
    left join opinion_files as fc
        on fc.entity = 'annual_report_consultation' and fc.entity_id = c.id
    left join opinion_files as fo
        on fo.entity = 'citizen_council_opinion' and fo.entity_id = c.council_opinion_id
    where c.report_id = $report_id
)

select * from final
order by sent_on, consulted, body
