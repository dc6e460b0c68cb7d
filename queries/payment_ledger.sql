-- name: payment_ledger
-- purpose: the payment ledger the finance service uses as it is: one row per commitment, mandate and disbursement ever recorded (cancelled ones kept, said so), oldest first, with its programme, act and article, funder and recipient, fiscal year, tax basis, amount, date, reference, who recorded it and whether it was corrected or cancelled and why
-- params: $programme_code (varchar; NULL: every programme), $fiscal_year (integer; NULL: every year)
select
    p.id as payment_id,
    pr.code as programme_code,
    coalesce(a.short_name, a.reference, a.title) as act,
    c.article as article,
    f.name as funder,
    r.name as recipient,
    b.id as budget_line_id,
    b.label as budget_line,
    b.fiscal_year,
    b.kind,
    b.tax_basis,
    p.stage,
    p.occurred_on,
    p.amount,
    p.reference,
    p.over_budget_reason,
    p.recorded_by,
    p.recorded_at,
    p.version > 1 as corrected,
    p.updated_by,
    p.updated_at,
    p.cancelled_at,
    p.cancelled_by,
    p.cancel_reason
from payment as p
join budget_line as b on b.id = p.budget_line_id
join programme as pr on pr.id = b.programme_id
left join legal_act as a on a.id = b.act_id
left join clause as c on c.id = b.clause_id
left join organisation as f on f.id = b.funder_id
left join organisation as r on r.id = b.recipient_id
where ($programme_code is null or pr.code = $programme_code)
    and ($fiscal_year is null or b.fiscal_year = $fiscal_year)
order by p.occurred_on, p.id
