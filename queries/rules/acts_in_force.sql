-- name: acts_in_force
-- purpose: the acts in force at a date, each with its term as in force then
-- params: as_of (date)
-- uses: act_start
-- wording: Le terme d'un acte est celui de l'avenant de prolongation en vigueur à cette date (signé avant le terme qu'il prolonge), sinon le sien ; une résiliation y met fin plus tôt.
-- The acts in force at a date, each with its term as in force then: the latest
-- extension by an avenant already in force, else its own term.
create or replace macro acts_in_force(as_of) as table
with started as (
    select a.*, s.starts_on, s.start_basis
    from legal_act as a
    join act_start as s on s.act_id = a.id
    where s.starts_on <= as_of
),

-- an extension counts if the avenant starts before the term it extends: the amended
-- act's own, or one an earlier extension gave it (an ended act cannot be prolonged)
extensions as (
    select s.*
    from started as s
    join legal_act as am on am.id = s.amends_act_id
    where s.extends_to is not null
        and (am.ends_on is null or s.starts_on <= am.ends_on or exists (
            select 1 from started as e
            where e.amends_act_id = s.amends_act_id and e.extends_to is not null
                and e.starts_on < s.starts_on and s.starts_on <= e.extends_to))
),

extended as (
    select
        amends_act_id as act_id,
        arg_max(extends_to, starts_on) as extended_term_on,
        arg_max(id, starts_on) as extended_by
    from extensions
    group by amends_act_id
)

select
    s.*,
    -- a résiliation ends the act early (least() leaves NULLs aside)
    least(coalesce(e.extended_term_on, s.ends_on), s.terminated_on) as term_on,
    e.extended_by
from started as s
left join extended as e on e.act_id = s.id;
