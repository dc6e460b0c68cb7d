-- name: act_start
-- purpose: when each act starts being in force, and how that date is known
-- params: none
-- uses: none
-- wording: Un acte compte à partir de sa prise d'effet, sinon de sa conclusion, sinon de sa signature ; sans aucune de ces dates, au plus tôt à la date de la délibération qui autorise sa signature ; sinon à partir du 1er janvier du premier exercice qu'il finance ; sinon du jour où il a été saisi.
-- One rule for every « état au » read. When no date of the act is known, its
-- deliberation's date is a lower bound (an act is signed once its signature is
-- authorised: « au plus tôt le … », not_before); failing that, 1 January of the first
-- fiscal year it finances (« estimated »); failing that, the day it was recorded
-- (« recorded »). Cancelled acts are in no view.
create or replace view act_start as
with first_year as (
    select act_id, make_date(min(fiscal_year), 1, 1) as first_on
    from budget_line
    where cancelled_at is null and act_id is not null
    group by act_id
)

select
    a.id as act_id,
    coalesce(
        a.effective_on, a.concluded_on, a.signed_on, a.deliberation_date, y.first_on,
        cast(a.created_at as date)) as starts_on,
    case
        when a.effective_on is not null then 'effective'
        when a.concluded_on is not null then 'concluded'
        when a.signed_on is not null then 'signed'
        when a.deliberation_date is not null then 'not_before'
        when y.first_on is not null then 'estimated'
        else 'recorded'
    end as start_basis
from legal_act as a
left join first_year as y on y.act_id = a.id
where a.cancelled_at is null;
