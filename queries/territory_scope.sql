-- name: territory_scope
-- purpose: a territory and every territory within it (QPV in communes, communes in Conseils de Territoire, Conseils in the Métropole), through live 'within' links; the filter of every read page
-- params: $territory_id (integer)
with recursive scope(id) as (
    select id from territory where id = $territory_id
    union
    select l.from_id
    from territory_link as l
    join scope as s on l.to_id = s.id
    where l.kind = 'within' and l.cancelled_at is null
)
select id from scope order by id
