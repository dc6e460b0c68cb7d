-- name: payment_flow
-- purpose: cumulative amounts committed, ordered and paid over time, per tax basis (one row per day with a payment), for the consumption chart
-- params: $as_of (date), $programme_code (varchar; NULL: every programme), $territory_id (integer, optional: only the lines tagged with this territory or one within it)
with daily as (
    select
        b.tax_basis,
        p.stage,
        p.occurred_on,
        sum(p.amount) as amount
    from payment as p
    join budget_line as b on b.id = p.budget_line_id
    join programme as pr on pr.id = b.programme_id
    where ($programme_code is null or pr.code = $programme_code)
        and p.cancelled_at is null and p.occurred_on <= $as_of
        and ($territory_id is null or b.id in (select entity_id from tagged_in('budget_line', $territory_id)))
    group by b.tax_basis, p.stage, p.occurred_on
),

final as (
    select
        tax_basis,
        stage,
        occurred_on,
        amount,
        sum(amount) over (partition by tax_basis, stage order by occurred_on) as cumulative
    from daily
)

select * from final
order by tax_basis, stage, occurred_on
