-- name: committees
-- purpose: each committee of the programmes present at a date (not archived by then) with its mandate, source, version, number of meetings and date of the last one
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
with stats as (
    select
        committee_id,
        count(*) as meetings,
        max(held_on) filter (where held_on <= $as_of) as last_meeting_on
    from meeting
    where cancelled_at is null
    group by committee_id
),

final as (
    select
        c.id as committee_id,
        pr.code as programme_code,
        pr.title as programme_title,
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
    from committee as c
    join programme as pr on pr.id = c.programme_id
    join programme_start as ps on ps.programme_id = pr.id
    left join stats as s on s.committee_id = c.id
    left join source_ref as src on src.id = c.source_id
    where ($programme_code is null or pr.code = $programme_code)
        and ps.starts_on <= $as_of
        and (c.archived_on is null or c.archived_on > $as_of)
)

select * from final
order by programme_code, kind, committee_id
