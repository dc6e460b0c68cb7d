-- name: budget_line_start
-- purpose: when each budget line starts counting, and how that date is known
-- params: none
-- uses: record_start
-- wording: Une ligne budgétaire compte à partir de la prise d'effet de son acte (sinon de sa conclusion, de sa signature), sinon du 1er janvier de son exercice ; une ligne qu'aucun acte n'accorde ne compte pas avant le jour où elle a été saisie (ou la date antérieure donnée avec son motif).
-- When a budget line counts: from its act's effective (else conclusion, else
-- signature) date; else from 1 January of its fiscal year. A line no act grants is
-- never counted before it was known — the day it was recorded, or the earlier date
-- given with a reason (its record_origin row; lines recorded before those rows existed
-- have none and count from 1 January). start_basis says which. A line superseded by another (an avenant
-- changing a year's amount) stops counting when that one starts.
create or replace view budget_line_start as
select
    b.id as budget_line_id,
    coalesce(
        a.effective_on, a.concluded_on, a.signed_on,
        case when b.act_id is null then greatest(make_date(b.fiscal_year, 1, 1), r.starts_on) end,
        make_date(b.fiscal_year, 1, 1)) as starts_on,
    case
        when a.effective_on is not null then 'effective'
        when a.concluded_on is not null then 'concluded'
        when a.signed_on is not null then 'signed'
        when b.act_id is null and r.starts_on > make_date(b.fiscal_year, 1, 1) then r.basis
        else 'fiscal_year'
    end as start_basis
from budget_line as b
left join legal_act as a on a.id = b.act_id
left join record_start as r on r.entity = 'budget_line' and r.entity_id = b.id
where b.cancelled_at is null;
