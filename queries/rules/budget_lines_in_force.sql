-- name: budget_lines_in_force
-- purpose: the budget lines counting at a date (a line stops when a line that replaces it starts)
-- params: as_of (date)
-- uses: budget_line_start
-- wording: Une ligne cesse de compter quand une ligne qui la remplace commence.
-- Written without a common table expression read twice: PostgreSQL would keep it aside
-- and guess its size (one row), then compare every line with every other one.
create or replace macro budget_lines_in_force(as_of) as table
select b.*, s.starts_on, s.start_basis
from budget_line as b
join budget_line_start as s on s.budget_line_id = b.id
where s.starts_on <= as_of
    and not exists (
        select 1
        from budget_line as newer
        join budget_line_start as ns on ns.budget_line_id = newer.id
        where newer.supersedes_line_id = b.id and ns.starts_on <= as_of
    );
