-- name: multi_year_share
-- purpose: per fiscal year and tax basis, as of a date, the share of the cash granted by the budget lines in force that comes under a multi-year convention (convention pluriannuelle d'objectifs: the line's act says so, or for an avenant the act it amends), to be read against the 50 % the Quartiers 2030 circular aims at (fmt.MULTI_YEAR_TARGET); what comes from an act that does not say, or from no act, is counted apart (« non renseigné ») and the share is computed on what is known only, never guessing the rest
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
with lines as (
    select
        b.fiscal_year,
        b.tax_basis,
        b.amount,
        coalesce(a.multi_year, framework.multi_year) as multi_year
    from budget_lines_in_force($as_of) as b
    join programme as pr on pr.id = b.programme_id
    left join legal_act as a on a.id = b.act_id
    left join legal_act as framework on framework.id = a.amends_act_id
    where b.kind = 'financial'
        and ($programme_code is null or pr.code = $programme_code)
),

per_year as (
    select
        fiscal_year,
        tax_basis,
        sum(amount)::decimal(14, 2) as granted,
        coalesce(sum(amount) filter (where multi_year), 0)::decimal(14, 2) as multi_year,
        coalesce(sum(amount) filter (where not multi_year), 0)::decimal(14, 2) as single_year,
        coalesce(sum(amount) filter (where multi_year is null), 0)::decimal(14, 2) as not_said
    from lines
    group by fiscal_year, tax_basis
)

select
    fiscal_year,
    tax_basis,
    granted,
    multi_year,
    single_year,
    not_said,
    round(100 * multi_year / nullif(multi_year + single_year, 0), 1) as share
from per_year
order by fiscal_year, tax_basis
