-- name: budget_lines
-- purpose: every budget line with its act, clause, parties, source, and what was committed / ordered / paid on it
-- params: $programme_code (varchar; NULL: every programme)
with spent as (
    select
        budget_line_id,
        sum(amount) filter (where stage = 'commitment') as committed,
        sum(amount) filter (where stage = 'payment_order') as ordered,
        sum(amount) filter (where stage = 'disbursement') as paid
    from payment
    group by budget_line_id
),

final as (
    select
        b.id as budget_line_id,
        pr.code as programme_code,
        b.fiscal_year,
        b.amount,
        b.tax_basis,
        b.label,
        a.title as act_title,
        c.article as clause_article,
        f.name as funder,
        r.name as recipient,
        coalesce(s.committed, 0)::decimal(14, 2) as committed,
        coalesce(s.ordered, 0)::decimal(14, 2) as ordered,
        coalesce(s.paid, 0)::decimal(14, 2) as paid,
        b.version,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from budget_line as b
    join programme as pr on pr.id = b.programme_id
    left join legal_act as a on a.id = b.act_id
    left join clause as c on c.id = b.clause_id
    left join organisation as f on f.id = b.funder_id
    left join organisation as r on r.id = b.recipient_id
    left join spent as s on s.budget_line_id = b.id
    left join source_ref as src on src.id = b.source_id
    where $programme_code is null or pr.code = $programme_code
)

select * from final
order by programme_code, fiscal_year, budget_line_id
