-- name: budget_by_year
-- purpose: money per fiscal year, programme and tax basis: allocated vs committed vs ordered vs paid (payments up to a date)
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
with lines as (
    select
        b.id,
        b.fiscal_year,
        b.programme_id,
        b.tax_basis,
        b.amount
    from budget_line as b
),

spent as (
    select
        p.budget_line_id,
        sum(p.amount) filter (where p.stage = 'commitment') as committed,
        sum(p.amount) filter (where p.stage = 'payment_order') as ordered,
        sum(p.amount) filter (where p.stage = 'disbursement') as paid
    from payment as p
    where p.occurred_on <= $as_of
    group by p.budget_line_id
),

final as (
    select
        l.fiscal_year,
        pr.code as programme_code,
        pr.title as programme_title,
        l.tax_basis,
        count(*) as budget_lines,
        sum(l.amount)::decimal(14, 2) as allocated,
        coalesce(sum(s.committed), 0)::decimal(14, 2) as committed,
        coalesce(sum(s.ordered), 0)::decimal(14, 2) as ordered,
        coalesce(sum(s.paid), 0)::decimal(14, 2) as paid,
        round(100 * coalesce(sum(s.paid), 0) / nullif(sum(l.amount), 0), 1) as consumption_rate
    from lines as l
    join programme as pr on pr.id = l.programme_id
    left join spent as s on s.budget_line_id = l.id
    where $programme_code is null or pr.code = $programme_code
    group by l.fiscal_year, pr.code, pr.title, l.tax_basis
)

select * from final
order by fiscal_year, programme_code, tax_basis
