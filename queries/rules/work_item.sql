-- name: work_item
-- purpose: the work tree as one relation, each item with the day from which it exists and where that day comes from
-- params: none
-- uses: record_start
-- wording: Un élément (phase, orientation, action) existe à partir de la prise d'effet de l'acte qui le crée, sinon de la séance de la décision qui le crée, sinon de la date donnée par la personne qui l'a saisi (avec son motif), sinon du jour où il a été saisi.
-- The work tree as one relation. Actions carry their programme (and, when they have
-- them, their phase and orientation); archived_on says from when an item left the
-- current views; exists_from says from when it is there (record_start: the act or
-- decision that creates it, a date given with a reason, else the day it was recorded).
-- The tree is a subquery, not a common table expression: PostgreSQL then reads each part
-- of the union by its index on the programme asked for, as DuckDB does (through a CTE it
-- reads all three tables whole).
create or replace view work_item as
select
    t.*,
    coalesce(r.starts_on, date '0001-01-01') as exists_from,
    coalesce(r.basis, 'recorded') as exists_basis
from (
    select
        'phase' as item_kind,
        ph.id as item_id,
        ph.programme_id,
        ph.id as phase_id,
        cast(null as integer) as orientation_id,
        ph.number as position,
        ph.title,
        ph.starts_on,
        ph.ends_on,
        ph.weight,
        ph.lead,
        ph.territory,
        ph.source_id,
        ph.archived_on,
        ph.version
    from phase as ph
    union all
    select
        'orientation',
        o.id,
        o.programme_id,
        o.phase_id,
        o.id,
        o.position,
        o.title,
        o.starts_on,
        o.ends_on,
        o.weight,
        o.lead,
        o.territory,
        o.source_id,
        o.archived_on,
        o.version
    from orientation as o
    union all
    select
        'action',
        a.id,
        a.programme_id,
        -- its orientation's phase read by a subquery, not a join: each part of the
        -- union reads one table, so that PostgreSQL reads only the programme asked for
        coalesce(a.phase_id, (select o.phase_id from orientation as o where o.id = a.orientation_id)),
        a.orientation_id,
        -- actions have no stored position: they are listed in creation order (item_id)
        cast(null as integer),
        a.title,
        a.starts_on,
        a.ends_on,
        a.weight,
        a.lead,
        a.territory,
        a.source_id,
        a.archived_on,
        a.version
    from action as a
) as t
left join record_start as r on r.entity = t.item_kind and r.entity_id = t.item_id;
