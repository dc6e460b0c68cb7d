-- name: scdl_subsidies
-- purpose: the subsidies the record knows, one per live budget line with an amount (of a year, or every year): who grants it and who receives it (names, SIRET, RNA), the act that grants it (title, reference, dates, deliberation), its object, amount and nature, and its disbursements (how many, first and last date) — what the open-data export in the SCDL « subventions » schema reads
-- params: $fiscal_year (integer; NULL: every year)
with paid as (
    select
        budget_line_id,
        count(*) as disbursements,
        min(occurred_on) as first_paid_on,
        max(occurred_on) as last_paid_on
    from payment
    where stage = 'disbursement' and cancelled_at is null
    group by budget_line_id
)

select
    b.id as budget_line_id,
    b.fiscal_year,
    pr.code as programme_code,
    pr.title as programme_title,
    b.label,
    b.kind,
    b.amount,
    b.tax_basis,
    f.name as funder_name,
    f.siret as funder_siret,
    r.name as recipient_name,
    r.siret as recipient_siret,
    r.rna as recipient_rna,
    a.title as act_title,
    a.reference as act_reference,
    coalesce(a.concluded_on, a.signed_on) as convention_on,
    a.deliberation_number,
    a.deliberation_date,
    coalesce(p.disbursements, 0) as disbursements,
    p.first_paid_on,
    p.last_paid_on
from budget_line as b
join programme as pr on pr.id = b.programme_id
left join organisation as f on f.id = b.funder_id
left join organisation as r on r.id = b.recipient_id
left join legal_act as a on a.id = b.act_id and a.cancelled_at is null
left join paid as p on p.budget_line_id = b.id
where b.cancelled_at is null
    and b.amount is not null
    and b.id not in (select supersedes_line_id from budget_line
                     where supersedes_line_id is not null and cancelled_at is null)
    and ($fiscal_year is null or b.fiscal_year = $fiscal_year)
order by b.fiscal_year, pr.code, b.id
