-- name: budget_by_year
-- purpose: money per fiscal year, programme and tax basis as of a date: allocated by the budget lines in force then vs committed / ordered / paid by the payments dated up to then (NULL when no payment was recorded on those lines: unknown, not zero)
-- params: $as_of (date), $programme_code (varchar; NULL: every programme), $territory_id (integer, optional: only the lines tagged with this territory or one within it)
with lines as (
    select b.*
    from budget_lines_in_force($as_of) as b
    join programme as pr on pr.id = b.programme_id
    where b.kind = 'financial' and ($programme_code is null or pr.code = $programme_code)
        and ($territory_id is null or b.id in (select entity_id from tagged_in('budget_line', $territory_id)))
),

spent as (
    select
        p.budget_line_id,
        sum(p.amount) filter (where p.stage = 'commitment') as committed,
        sum(p.amount) filter (where p.stage = 'payment_order') as ordered,
        sum(p.amount) filter (where p.stage = 'disbursement') as paid
    from payment as p
    semi join lines as l on l.id = p.budget_line_id
    where p.cancelled_at is null and p.occurred_on <= $as_of
    group by p.budget_line_id
),

final as (
    select
        l.fiscal_year,
        pr.code as programme_code,
        pr.title as programme_title,
        l.tax_basis,
        count(*) as budget_lines,
        count(s.budget_line_id) as lines_with_payments,
        sum(l.amount)::decimal(14, 2) as allocated,
        (sum(coalesce(s.committed, 0)) filter (where s.budget_line_id is not null))::decimal(14, 2)
            as committed,
        (sum(coalesce(s.ordered, 0)) filter (where s.budget_line_id is not null))::decimal(14, 2)
            as ordered,
        (sum(coalesce(s.paid, 0)) filter (where s.budget_line_id is not null))::decimal(14, 2)
            as paid,
        round(
            100 * (sum(coalesce(s.paid, 0)) filter (where s.budget_line_id is not null))
            / nullif(sum(l.amount), 0), 1
        ) as consumption_rate
    from lines as l
    join programme as pr on pr.id = l.programme_id
    left join spent as s on s.budget_line_id = l.id
    group by l.fiscal_year, pr.code, pr.title, l.tax_basis
)

select * from final
order by fiscal_year, programme_code, tax_basis
