-- name: clauses
-- purpose: the clauses of the acts in force at a date (kind, article, delays, summary, amount allowed a year, source, version), each with the act it belongs to and the act it applies to (an avenant's clause applies to the act it amends), and whether a clause of an avenant in force replaces it
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
with acts as (
    select id from acts_in_force($as_of)
),

replaced as (
    select replaces_clause_id as clause_id, min(id) as replaced_by
    from clause
    where replaces_clause_id is not null and cancelled_at is null and act_id in (select id from acts)
    group by replaces_clause_id
),

final as (
    select
        c.id as clause_id,
        a.id as act_id,
        coalesce(c.target_act_id, c.act_id) as applies_to_act_id,
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
        c.yearly_amount,
        c.replaces_clause_id,
        r.replaced_by,
        c.version,
        c.updated_by,
        c.updated_at,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from clause as c
    join legal_act as a on a.id = c.act_id
    join programme as pr on pr.id = a.programme_id
    left join replaced as r on r.clause_id = c.id
    left join source_ref as src on src.id = c.source_id
    where ($programme_code is null or pr.code = $programme_code)
        and c.cancelled_at is null
        and a.id in (select id from acts)
)

select * from final
order by act_id, clause_id
