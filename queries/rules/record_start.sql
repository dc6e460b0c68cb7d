-- name: record_start
-- purpose: from when each record with an origin exists, and where that day comes from (basis: act, decision, stated, recorded)
-- params: none
-- uses: act_start
-- wording: Une fiche existe à partir de la prise d'effet de l'acte qui la crée, sinon de la séance de la décision qui la crée, sinon de la date donnée par la personne qui l'a saisie (avec son motif), sinon du jour où elle a été saisie.
-- An act that is cancelled, or a decision (or its meeting) that is, no longer says
-- anything: the record then counts from the next basis down.
create or replace view record_start as
select
    o.entity,
    o.entity_id,
    case
        when s.act_id is not null then s.starts_on
        when m.id is not null then m.held_on
        when o.stated_on is not null then o.stated_on
        else o.recorded_on
    end as starts_on,
    case
        when s.act_id is not null then 'act'
        when m.id is not null then 'decision'
        when o.stated_on is not null then 'stated'
        else 'recorded'
    end as basis,
    o.act_id,
    o.article,
    s.start_basis as act_start_basis,
    o.decision_id,
    m.held_on as decision_on,
    o.stated_on,
    o.reason,
    o.recorded_on
from record_origin as o
left join act_start as s on s.act_id = o.act_id
left join decision as d on d.id = o.decision_id and d.cancelled_at is null
left join meeting as m on m.id = d.meeting_id and m.cancelled_at is null;
