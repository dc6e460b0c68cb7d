-- name: timeline_events
-- purpose: dated facts of one programme known at a date, for its timeline: the dates of the acts in force by then (concluded, signed, deliberation, term, résiliation, new term given by an avenant), registered letters sent by then, status changes of phases existing then, committee meetings known then (meeting_start); cancelled records left out
-- params: $programme_code (varchar), $as_of (date)
-- statuses: phase
with prog as (
    select id from programme where code = $programme_code
),

acts as (
    select a.*, s.starts_on, s.start_basis, src.document, src.article
    from legal_act as a
    join act_start as s on s.act_id = a.id
    left join source_ref as src on src.id = a.source_id
    where a.programme_id = (select id from prog) and s.starts_on <= $as_of
),

act_dates as (
    select concluded_on as on_date, 'act_concluded' as kind, id as ref_id, title,
        cast(null as varchar) as detail, document, article
    from acts where concluded_on is not null
    union all
    select signed_on, 'act_signed', id, title, null, document, article from acts where signed_on is not null
    union all
    select deliberation_date, 'act_deliberation', id, title, null, document, article
    from acts where deliberation_date is not null
    union all
    select ends_on, 'act_term', id, title, null, document, article from acts where ends_on is not null
    union all
    select extends_to, 'act_extension', id, title, null, document, article
    from acts where extends_to is not null
    union all
    select terminated_on, 'act_terminated', id, title, null, document, article
    from acts where terminated_on is not null
    union all
    select l.sent_on, 'letter_' || l.kind, l.act_id, l.subject, null, src.document, src.article
    from act_letter as l
    left join source_ref as src on src.id = l.source_id
    where l.cancelled_at is null and l.act_id in (select id from acts) and l.sent_on <= $as_of
),

phase_changes as (
    select e.occurred_on, 'phase_status', ph.number, ph.title, e.to_status, src.document, src.article
    from status_event as e
    join phase as ph on ph.id = e.item_id and e.item_kind = 'phase'
    join work_item as w on w.item_kind = 'phase' and w.item_id = ph.id
    left join source_ref as src on src.id = e.source_id
    where ph.programme_id = (select id from prog) and e.occurred_on <= $as_of
        and w.exists_from <= $as_of
),

meetings as (
    select m.held_on, 'meeting_' || c.kind, m.id, c.name, null, src.document, src.article
    from meeting as m
    join committee as c on c.id = m.committee_id
    join meeting_start as ms on ms.meeting_id = m.id
    left join source_ref as src on src.id = m.source_id
    where c.programme_id = (select id from prog) and m.cancelled_at is null
        and ms.known_from <= $as_of
),

final as (
    select * from act_dates
    union all select * from phase_changes
    union all select * from meetings
)

select * from final
order by on_date, kind, ref_id
