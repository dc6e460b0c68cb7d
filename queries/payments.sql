-- name: payments
-- purpose: the payments recorded (engagement, mandatement, versement) dated in a period, newest first, with their budget line and version (cancelled ones left out)
-- params: $programme_code (varchar; NULL: every programme), $since (date; NULL: from the start), $until (date; NULL: to today), $limit (integer: the newest N; NULL: all)
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
        p.recorded_at,
        p.version,
        p.updated_by,
        p.updated_at
    from payment as p
    join budget_line as b on b.id = p.budget_line_id
    join programme as pr on pr.id = b.programme_id
    where ($programme_code is null or pr.code = $programme_code)
        and p.cancelled_at is null
        and ($since is null or p.occurred_on >= $since)
        and ($until is null or p.occurred_on <= $until)
)

select * from final
order by occurred_on desc, payment_id desc
limit $limit
