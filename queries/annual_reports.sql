-- name: annual_reports
-- purpose: the rapports annuels of the contrats de ville as known at a date: year, outlook, planned dates, the deliberation that approved it and its publication when dated by then, and its consultations then — sent, answered, deemed favourable, pending — with the files attached to the report (deliberation, final report)
-- params: $as_of (date), $programme_code (varchar; NULL: every contrat de ville)
with consultations as (
    select
        report_id,
        count(*) as sent,
        count(*) filter (where state = 'answered') as answered,
        count(*) filter (where state = 'deemed_favourable') as deemed_favourable,
        count(*) filter (where state = 'pending') as pending,
        min(sent_on) as first_sent_on,
        max(deadline_on) as last_deadline_on
    from consultation_state_at($as_of)
    group by report_id
),

report_files as (
    select entity_id as report_id, list(file_name order by id) as files,
        list(id order by id) as attachment_ids
    from attachment
    where entity = 'annual_report' and cancelled_at is null
        and cast(recorded_at as date) <= $as_of
    group by entity_id
),

final as (
    select
        r.id as report_id,
        pr.code as programme_code,
        pr.title as programme_title,
        r.year,
        r.outlook,
        r.planned_approval_on,
        case when r.approved_on <= $as_of then r.approved_on end as approved_on,
        case when r.approved_on <= $as_of then r.deliberation_body end as deliberation_body,
        case when r.approved_on <= $as_of then r.deliberation_number end as deliberation_number,
        case when r.approved_on <= $as_of then r.follow_up end as follow_up,
        r.planned_publication_on,
        case when r.published_on <= $as_of then r.published_on end as published_on,
        coalesce(c.sent, 0) as sent,
        coalesce(c.answered, 0) as answered,
        coalesce(c.deemed_favourable, 0) as deemed_favourable,
        coalesce(c.pending, 0) as pending,
        c.last_deadline_on,
        coalesce(f.files, []) as files,
        coalesce(f.attachment_ids, []) as attachment_ids,
        r.version
    from annual_report as r
    join programme as pr on pr.id = r.programme_id
    left join consultations as c on c.report_id = r.id
    left join report_files as f on f.report_id = r.id
    where r.cancelled_at is null
        and ($programme_code is null or pr.code = $programme_code)
        and least(cast(r.created_at as date), coalesce(c.first_sent_on, $as_of)) <= $as_of
)

select * from final
order by programme_code, year desc
