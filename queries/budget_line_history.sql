-- name: budget_line_history
-- purpose: a budget line's whole history and that of its payments, oldest first: every audit entry (creation, correction with before -> after, cancellation, load) with who, when and why, and the line that supersedes it; the Paiements page shows it under the chosen line
-- params: $budget_line_id (integer)
with own_payments as (
    select id from payment where budget_line_id = $budget_line_id
),

successors as (
    select id from budget_line where supersedes_line_id = $budget_line_id
),

final as (
    select
        a.id as audit_id,
        a.occurred_at,
        a.actor,
        a.operation,
        a.entity,
        try_cast(a.entity_id as integer) as entity_id,
        a.before,
        a.after,
        a.reason,
        p.stage as payment_stage,
        p.occurred_on as payment_on,
        a.entity = 'budget_line' and try_cast(a.entity_id as integer) in (select id from successors)
            as is_successor
    from audit_log as a
    left join payment as p on a.entity = 'payment' and p.id = try_cast(a.entity_id as integer)
    where (a.entity = 'budget_line' and (a.entity_id = cast($budget_line_id as varchar)
            or try_cast(a.entity_id as integer) in (select id from successors)))
        or (a.entity = 'payment' and try_cast(a.entity_id as integer) in (select id from own_payments))
)

select * from final
order by occurred_at, audit_id
