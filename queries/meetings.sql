-- name: meetings
-- purpose: every meeting (newest first) with its committee, programme, number of decisions and source
-- params: $programme_code (varchar; NULL: every programme)
with decisions as (
    select meeting_id, count(*) as decisions
    from decision
    group by meeting_id
),

final as (
    select
        m.id as meeting_id,
        pr.code as programme_code,
        c.id as committee_id,
        c.kind as committee_kind,
        c.name as committee_name,
        m.held_on,
        m.place,
        m.attendees,
        m.minutes,
        coalesce(d.decisions, 0) as decisions,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from meeting as m
    join committee as c on c.id = m.committee_id
    join programme as pr on pr.id = c.programme_id
    left join decisions as d on d.meeting_id = m.id
    left join source_ref as src on src.id = m.source_id
    where $programme_code is null or pr.code = $programme_code
)

select * from final
order by held_on desc, meeting_id desc
