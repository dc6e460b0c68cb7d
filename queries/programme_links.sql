-- name: programme_links
-- purpose: which programme feeds which, with the source that says so
-- params: (none)
with final as (
    select
        f.code as from_code,
        f.title as from_title,
        t.code as to_code,
        t.title as to_title,
        l.kind,
        l.description,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from programme_link as l
    join programme as f on f.id = l.from_programme_id
    join programme as t on t.id = l.to_programme_id
    left join source_ref as src on src.id = l.source_id
)

select * from final
order by from_code, to_code
