-- name: budget_line_spent_rows
-- purpose: the budget_line_spent rows of the chosen lines, from their payments
-- params: chosen (integer[])
-- uses: none
-- wording: Un paiement compte à sa date.
-- the budget_line_spent rows of the chosen lines, from their payments
create or replace macro budget_line_spent_rows(chosen) as table
select
    budget_line_id,
    max(occurred_on) as valid_from,
    count(*) as payments,
    sum(amount) filter (where stage = 'commitment') as committed,
    sum(amount) filter (where stage = 'payment_order') as ordered,
    sum(amount) filter (where stage = 'disbursement') as paid
from payment
where cancelled_at is null and budget_line_id in (select unnest(chosen))
group by budget_line_id;
