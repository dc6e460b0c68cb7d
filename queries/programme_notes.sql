-- name: programme_notes
-- purpose: the context notes of each programme (the findings of the 2022 preamble) in their order, with sources
-- params: (none)
with final as (
    select
        n.id as note_id,
        pr.code as programme_code,
        n.kind,
        n.position,
        n.title,
        n.body,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from programme_note as n
    join programme as pr on pr.id = n.programme_id
    left join source_ref as src on src.id = n.source_id
)

select * from final
order by programme_code, position
