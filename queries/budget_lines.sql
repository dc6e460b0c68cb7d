-- name: budget_lines
-- purpose: the budget lines in force at a date, with their nature, act, article (and the amount it allows a year), funder (and its kind), recipient, the action it finances, the nature of its credits, whether its act is a multi-year convention, the reason given when it exceeds its article, when each counts from (and how that is known), the line it supersedes, its source, and what was committed / ordered / paid on it up to then (NULL when nothing was recorded)
-- params: $as_of (date), $programme_code (varchar; NULL: every programme), $territory_id (integer, optional: only the lines tagged with this territory or one within it)
with lines as (
    select b.*
    from budget_lines_in_force($as_of) as b
    join programme as pr on pr.id = b.programme_id
    where ($programme_code is null or pr.code = $programme_code)
        and ($territory_id is null or b.id in (select entity_id from tagged_in('budget_line', $territory_id)))
),

spent as (
    select
        budget_line_id,
        sum(amount) filter (where stage = 'commitment') as committed,
        sum(amount) filter (where stage = 'payment_order') as ordered,
        sum(amount) filter (where stage = 'disbursement') as paid
    from payment
    where cancelled_at is null and occurred_on <= $as_of
    group by budget_line_id
),

final as (
    select
        b.id as budget_line_id,
        pr.code as programme_code,
        b.fiscal_year,
        b.kind,
        b.amount,
        b.tax_basis,
        b.label,
        b.description,
        b.act_id,
        a.kind as act_kind,
        a.number as act_number,
        a.reference as act_reference,
        a.title as act_title,
        c.article as clause_article,
        f.name as funder,
        f.funder_category,
        r.name as recipient,
        b.action_id,
        w.title as action_title,
        b.funding_nature,
        coalesce(a.multi_year, framework.multi_year) as multi_year,
        c.yearly_amount as clause_yearly_amount,
        b.over_act_reason,
        b.starts_on,
        b.start_basis,
        b.supersedes_line_id,
        s.budget_line_id is not null as has_payments,
        case when s.budget_line_id is not null then coalesce(s.committed, 0) end::decimal(14, 2)
            as committed,
        case when s.budget_line_id is not null then coalesce(s.ordered, 0) end::decimal(14, 2)
            as ordered,
        case when s.budget_line_id is not null then coalesce(s.paid, 0) end::decimal(14, 2)
            as paid,
        b.version,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from lines as b
    join programme as pr on pr.id = b.programme_id
    left join legal_act as a on a.id = b.act_id
    left join clause as c on c.id = b.clause_id
    left join legal_act as framework on framework.id = a.amends_act_id
    left join organisation as f on f.id = b.funder_id
    left join organisation as r on r.id = b.recipient_id
    left join action as w on w.id = b.action_id
    left join spent as s on s.budget_line_id = b.id
    left join source_ref as src on src.id = b.source_id
)

select * from final
order by programme_code, fiscal_year, budget_line_id
