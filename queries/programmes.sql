-- name: programmes
-- purpose: the programmes present at a date (from their first act's start, until archived), with their period as the acts in force then give it (first start to the latest term) and their source
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
with acts as (
    select programme_id, min(starts_on) as starts_on, max(term_on) as ends_on, count(*) as acts
    from acts_in_force($as_of)
    group by programme_id
),

final as (
    select
        pr.id as programme_id,
        pr.code,
        pr.title,
        pr.kind,
        pr.description,
        ps.starts_on as present_from,
        a.starts_on,
        a.ends_on,
        coalesce(a.acts, 0) as acts,
        pr.archived_on,
        pr.version,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from programme as pr
    join programme_start as ps on ps.programme_id = pr.id
    left join acts as a on a.programme_id = pr.id
    left join source_ref as src on src.id = pr.source_id
    where ps.starts_on <= $as_of
        and (pr.archived_on is null or pr.archived_on > $as_of)
        and ($programme_code is null or pr.code = $programme_code)
)

select * from final
order by code
