-- name: budget_lines_in_force
-- purpose: the budget lines counting at a date (a line stops when a line that replaces it starts)
-- params: as_of (date)
-- uses: budget_line_start
-- wording: Une ligne cesse de compter quand une ligne qui la remplace commence.
create or replace macro budget_lines_in_force(as_of) as table
with started as (
    select b.*, s.starts_on, s.start_basis
    from budget_line as b
    join budget_line_start as s on s.budget_line_id = b.id
    where s.starts_on <= as_of
)

select *
from started as s
where not exists (
    select 1 from started as newer where newer.supersedes_line_id = s.id
);
