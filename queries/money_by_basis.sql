-- name: money_by_basis
-- purpose: per programme and tax basis, as of a date: allocated by the budget lines in force, and committed / ordered / paid by the payments dated up to then (a line's roll-up on or after its latest payment date); a figure is NULL (unknown, not zero) when no line is in force, or when no payment was recorded on any line; in-kind support and supports stated « financier et/ou matériel » counted apart, never in the amounts
-- params: $as_of (date), $programme_code (varchar; NULL: every programme), $territory_id (integer, optional: only the lines tagged with this territory or one within it)
with lines as (
    select b.*
    from budget_lines_in_force($as_of) as b
    join programme as pr on pr.id = b.programme_id
    where ($programme_code is null or pr.code = $programme_code)
        and ($territory_id is null or b.id in (select entity_id from tagged_in('budget_line', $territory_id)))
),

-- a line's payments from its roll-up (kept current by every write) on or after its
-- latest payment date; before it, from the payments dated up to $as_of
rolled as (
    select r.*
    from budget_line_spent as r
    semi join lines as l on l.id = r.budget_line_id
),

spent as (
    select budget_line_id, payments, committed, ordered, paid
    from rolled
    where valid_from <= $as_of
    union all
    select
        p.budget_line_id,
        count(*) as payments,
        sum(p.amount) filter (where p.stage = 'commitment') as committed,
        sum(p.amount) filter (where p.stage = 'payment_order') as ordered,
        sum(p.amount) filter (where p.stage = 'disbursement') as paid
    from payment as p
    semi join (select budget_line_id from rolled where valid_from > $as_of) as r
        on r.budget_line_id = p.budget_line_id
    where p.cancelled_at is null and p.occurred_on <= $as_of
    group by p.budget_line_id
),

per_basis as (
    select
        l.programme_id,
        l.tax_basis,
        count(*) filter (where l.kind = 'financial') as lines,
        count(*) filter (where l.kind = 'in_kind') as in_kind_lines,
        count(*) filter (where l.kind = 'financial_or_in_kind') as alternative_lines,
        count(s.budget_line_id) as lines_with_payments,
        coalesce(sum(s.payments), 0) as payments,
        sum(l.amount) filter (where l.kind = 'financial') as allocated,
        sum(coalesce(s.committed, 0)) filter (where s.budget_line_id is not null) as committed,
        sum(coalesce(s.ordered, 0)) filter (where s.budget_line_id is not null) as ordered,
        sum(coalesce(s.paid, 0)) filter (where s.budget_line_id is not null) as paid,
        bool_or(bs.start_basis = 'fiscal_year') as start_estimated
    from lines as l
    join budget_line_start as bs on bs.budget_line_id = l.id
    left join spent as s on s.budget_line_id = l.id
    group by l.programme_id, l.tax_basis
),

final as (
    select
        pr.code as programme_code,
        m.tax_basis,
        m.lines,
        m.in_kind_lines,
        m.alternative_lines,
        m.lines_with_payments,
        m.payments,
        m.allocated::decimal(14, 2) as allocated,
        m.committed::decimal(14, 2) as committed,
        m.ordered::decimal(14, 2) as ordered,
        m.paid::decimal(14, 2) as paid,
        round(100 * m.paid / nullif(m.allocated, 0), 1) as consumption_rate,
        m.start_estimated
    from per_basis as m
    join programme as pr on pr.id = m.programme_id
)

select * from final
order by programme_code, tax_basis
