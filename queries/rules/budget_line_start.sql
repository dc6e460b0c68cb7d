-- name: budget_line_start
-- purpose: when each budget line starts counting, and how that date is known
-- params: none
-- uses: none
-- wording: Une ligne budgétaire compte à partir de la prise d'effet de son acte (sinon de sa conclusion, de sa signature), sinon du 1er janvier de son exercice.
-- When a budget line counts: from its act's effective (else conclusion, else
-- signature) date, else from 1 January of its fiscal year (start_basis says which);
-- a line superseded by another (an avenant changing a year's amount) stops counting
-- when that one starts.
create or replace view budget_line_start as
select
    b.id as budget_line_id,
    coalesce(a.effective_on, a.concluded_on, a.signed_on, make_date(b.fiscal_year, 1, 1))
        as starts_on,
    case
        when a.effective_on is not null then 'effective'
        when a.concluded_on is not null then 'concluded'
        when a.signed_on is not null then 'signed'
        else 'fiscal_year'
    end as start_basis
from budget_line as b
left join legal_act as a on a.id = b.act_id
where b.cancelled_at is null;
