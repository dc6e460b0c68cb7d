-- name: tagged_in
-- purpose: the records of one kind tagged with a territory or with a territory within it
-- params: entity_kind (varchar), chosen_territory (integer)
-- uses: none
-- wording: Les fiches d'un territoire sont celles qui lui sont rattachées et celles rattachées à un territoire situé dedans.
-- the records of one kind (action, deliverable, budget_line) tagged with a territory or
-- with a territory within it (a QPV of a commune, a commune of a Conseil de Territoire)
create or replace macro tagged_in(entity_kind, chosen_territory) as table
    with recursive scope(id) as (
        select chosen_territory
        union
        select l.from_id
        from territory_link as l
        join scope as s on l.to_id = s.id
        where l.kind = 'within' and l.cancelled_at is null
    )
    select distinct g.entity_id
    from territory_tag as g
    where g.entity = entity_kind and g.cancelled_at is null
        and g.territory_id in (select id from scope);
