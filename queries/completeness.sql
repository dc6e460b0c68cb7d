-- name: completeness
-- purpose: what the record lacks, one row per gap with a code the tracker turns into a French reason: unknown signature dates and deliberation numbers, missing avenants in the numbering, years without an amount, unspecified tax basis, no payment, unknown statuses
-- params: $programme_code (varchar; NULL: every programme)
with acts as (
    select a.*, pr.code as programme_code
    from legal_act as a
    join programme as pr on pr.id = a.programme_id
),

signature as (
    select 'act_signature_unknown' as code, programme_code, 'legal_act' as entity, id as entity_id,
        title as subject, cast(null as varchar) as detail
    from acts
    where signed_on is null and concluded_on is null
),

term as (
    select 'act_term_unknown', programme_code, 'legal_act', id, title, null
    from acts
    where ends_on is null
),

deliberation as (
    select 'deliberation_number_unknown', programme_code, 'legal_act', id, title,
        deliberation_body || ' / ' || strftime(deliberation_date, '%Y-%m-%d')
    from acts
    where deliberation_number is null and (deliberation_date is not null or deliberation_body is not null)
),

numbering as (
    select amends_act_id as act_id, max(number) as top
    from legal_act
    where kind = 'amendment' and number is not null
    group by amends_act_id
),

missing_amendment as (
    select 'amendment_missing', a.programme_code, 'legal_act', a.id, a.title, cast(n.i as varchar)
    from numbering as nb
    join acts as a on a.id = nb.act_id
    cross join range(1, nb.top) as n(i)
    where not exists (
        select 1 from legal_act as x where x.amends_act_id = nb.act_id and x.number = n.i
    )
),

programme_years as (
    select
        a.programme_id,
        min(year(coalesce(a.concluded_on, a.signed_on, a.effective_on))) as first_act_year,
        min(b.fiscal_year) as first_budget_year
    from legal_act as a
    left join budget_line as b on b.programme_id = a.programme_id
    group by a.programme_id
),

no_amount as (
    select 'no_amount_for_years', pr.code, 'programme', pr.id, pr.title,
        cast(py.first_act_year as varchar) || '-' || cast(py.first_budget_year - 1 as varchar)
    from programme_years as py
    join programme as pr on pr.id = py.programme_id
    where py.first_act_year < py.first_budget_year
),

basis as (
    select 'tax_basis_unspecified', pr.code, 'budget_line', b.id, coalesce(b.label, pr.title),
        cast(b.fiscal_year as varchar)
    from budget_line as b
    join programme as pr on pr.id = b.programme_id
    where b.tax_basis = 'unspecified'
),

no_payment as (
    select 'no_payment', pr.code, 'budget_line', b.id, coalesce(b.label, pr.title),
        cast(b.fiscal_year as varchar)
    from budget_line as b
    join programme as pr on pr.id = b.programme_id
    where not exists (select 1 from payment as p where p.budget_line_id = b.id)
),

unknown_status as (
    -- item_status has a row for every item with at least one status event
    select 'status_unknown', pr.code, 'programme', pr.id, w.item_kind, cast(count(*) as varchar)
    from work_item as w
    join programme as pr on pr.id = w.programme_id
    anti join item_status as s on s.item_kind = w.item_kind and s.item_id = w.item_id
    where $programme_code is null or pr.code = $programme_code
    group by pr.code, pr.id, w.item_kind
),

final as (
    select * from signature
    union all select * from term
    union all select * from deliberation
    union all select * from missing_amendment
    union all select * from no_amount
    union all select * from basis
    union all select * from no_payment
    union all select * from unknown_status
)

select * from final
where $programme_code is null or programme_code = $programme_code
order by programme_code, code, entity_id, detail
