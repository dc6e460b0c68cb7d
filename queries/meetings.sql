-- name: meetings
-- purpose: the meetings held (or planned) in a period and known by its end (meeting_start), newest first, with their committee, programme, number of decisions, source and version (cancelled ones left out)
-- params: $programme_code (varchar; NULL: every programme), $since (date; NULL: from the start), $until (date; NULL: no end)
with selected as (
    select m.*, pr.code as programme_code, c.kind as committee_kind, c.name as committee_name
    from meeting as m
    join committee as c on c.id = m.committee_id
    join programme as pr on pr.id = c.programme_id
    join meeting_start as ms on ms.meeting_id = m.id
    where ($programme_code is null or pr.code = $programme_code)
        and m.cancelled_at is null
        -- held in the period, or held before it and made known in it (by an act)
        and ($since is null or m.held_on >= $since or ms.known_from >= $since)
        and ($until is null or (m.held_on <= $until and ms.known_from <= $until))
),

-- the decisions of the selected meetings only
decisions as (
    select d.meeting_id, count(*) as decisions
    from decision as d
    semi join selected as s on s.id = d.meeting_id
    where d.cancelled_at is null
    group by d.meeting_id
),

final as (
    select
        m.id as meeting_id,
        m.programme_code,
        m.committee_id,
        m.committee_kind,
        m.committee_name,
        m.held_on,
        m.place,
        m.attendees,
        m.minutes,
        coalesce(d.decisions, 0) as decisions,
        m.version,
        m.updated_by,
        m.updated_at,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from selected as m
    left join decisions as d on d.meeting_id = m.id
    left join source_ref as src on src.id = m.source_id
)

select * from final
order by held_on desc, meeting_id desc
