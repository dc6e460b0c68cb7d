-- name: payments
-- purpose: the payments recorded (engagement, mandatement, versement), newest first, with their budget line
-- params: $programme_code (varchar; NULL: every programme), $limit (integer: the newest N)
with final as (
    select
        p.id as payment_id,
        pr.code as programme_code,
        b.id as budget_line_id,
        b.fiscal_year,
        b.tax_basis,
        p.stage,
        p.occurred_on,
        p.amount,
        p.reference,
        p.over_budget_reason,
        p.recorded_by,
        p.recorded_at
    from payment as p
    join budget_line as b on b.id = p.budget_line_id
    join programme as pr on pr.id = b.programme_id
    where $programme_code is null or pr.code = $programme_code
)

select * from final
order by occurred_on desc, payment_id desc
limit $limit
