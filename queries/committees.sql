-- name: committees
-- purpose: each committee existing at a date (created by an act, a decision or from a date given: record_start; a committee recorded without one is there at every date, its meetings carrying their own) and not archived by then with its mandate, source, version, number of meetings and date of the last one
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
with chosen as (
    select c.*, pr.code as programme_code, pr.title as programme_title
    from committee as c
    join programme as pr on pr.id = c.programme_id
    left join record_start as r on r.entity = 'committee' and r.entity_id = c.id
    where ($programme_code is null or pr.code = $programme_code)
        and (c.archived_on is null or c.archived_on > $as_of)
        and (coalesce(r.basis, 'recorded') = 'recorded' or r.starts_on <= $as_of)
),

-- the meetings of the chosen committees only: a programme's page counts its own
stats as (
    select
        m.committee_id,
        count(*) as meetings,
        max(m.held_on) filter (where m.held_on <= $as_of) as last_meeting_on
    from meeting as m
    semi join chosen as ch on ch.id = m.committee_id
    join meeting_start as ms on ms.meeting_id = m.id
    where m.cancelled_at is null and ms.known_from <= $as_of
    group by m.committee_id
),

final as (
    select
        c.id as committee_id,
        c.programme_code,
        c.programme_title,
        c.kind,
        c.name,
        c.mandate,
        coalesce(s.meetings, 0) as meetings,
        s.last_meeting_on,
        c.version,
        c.updated_by,
        c.updated_at,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from chosen as c
    join programme_start as ps on ps.programme_id = c.programme_id
    left join stats as s on s.committee_id = c.id
    left join source_ref as src on src.id = c.source_id
    where ps.starts_on <= $as_of
)

select * from final
order by programme_code, kind, committee_id
