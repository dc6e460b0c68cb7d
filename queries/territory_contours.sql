-- name: territory_contours
-- purpose: the contours the maps draw for a kind of territory (and a generation of QPV): those of the latest live set uploaded, each with its territory's code and name, and the set's source and vintage
-- params: $kind (varchar: qpv or commune), $generation (integer; NULL for communes)
with latest as (
    select id, source_document, vintage
    from contour_set
    where kind = $kind
        and generation is not distinct from $generation
        and cancelled_at is null
    order by recorded_at desc, id desc
    limit 1
)

select
    c.territory_id,
    t.code,
    t.name,
    t.kind,
    t.generation,
    c.geometry,
    l.source_document,
    l.vintage
from contour as c
join latest as l on l.id = c.contour_set_id
join territory as t on t.id = c.territory_id
order by t.name, t.code
