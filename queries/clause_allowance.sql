-- name: clause_allowance
-- purpose: what a financing article allows for one fiscal year (NULL: it states no amount) and what the budget lines citing it already grant that year, cancelled and replaced lines left out, as well as the line being written and the line it replaces
-- params: $clause_id (integer), $fiscal_year (integer), $without_line_id (integer; NULL: none), $replaced_line_id (integer; NULL: none)
with granted as (
    select coalesce(sum(b.amount), 0)::decimal(14, 2) as amount
    from budget_line as b
    where b.clause_id = $clause_id
        and b.fiscal_year = $fiscal_year
        and b.cancelled_at is null
        and b.id is distinct from $without_line_id
        and b.id is distinct from $replaced_line_id
        and not exists (
            select 1 from budget_line as n
            where n.supersedes_line_id = b.id and n.cancelled_at is null
        )
)

select c.yearly_amount as allowed, g.amount as granted
from clause as c
cross join granted as g
where c.id = $clause_id
