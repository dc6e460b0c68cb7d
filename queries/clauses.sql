-- name: clauses
-- purpose: the clauses of every act (kind, article, delays, summary) with their source
-- params: $programme_code (varchar; NULL: every programme)
with final as (
    select
        c.id as clause_id,
        a.id as act_id,
        pr.code as programme_code,
        a.kind as act_kind,
        a.number as act_number,
        a.reference as act_reference,
        a.title as act_title,
        c.kind,
        c.article,
        c.days,
        c.months,
        c.summary,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from clause as c
    join legal_act as a on a.id = c.act_id
    join programme as pr on pr.id = a.programme_id
    left join source_ref as src on src.id = c.source_id
    where $programme_code is null or pr.code = $programme_code
)

select * from final
order by act_id, clause_id
