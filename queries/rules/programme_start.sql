-- name: programme_start
-- purpose: from when each programme is there, and how that day is known (basis: act, stated, recorded)
-- params: none
-- uses: act_start record_start
-- wording: Un programme figure à partir de son premier acte ; sans acte, à partir de la date donnée quand il a été saisi (avec son motif), sinon du jour où il a été saisi.
create or replace view programme_start as
with first_act as (
    select a.programme_id, min(s.starts_on) as starts_on
    from legal_act as a
    join act_start as s on s.act_id = a.id
    group by a.programme_id
)

select
    pr.id as programme_id,
    coalesce(f.starts_on, r.starts_on, cast(pr.created_at as date)) as starts_on,
    case
        when f.starts_on is not null then 'act'
        when r.basis = 'stated' then 'stated'
        else 'recorded'
    end as basis
from programme as pr
left join first_act as f on f.programme_id = pr.id
left join record_start as r on r.entity = 'programme' and r.entity_id = pr.id;
