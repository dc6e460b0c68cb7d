-- name: contour_sets
-- purpose: every set of contours uploaded (cancelled ones left out), newest first: kind, generation, source, vintage, file, how many shapes, who uploaded it and when, and whether it is the one the maps draw
-- params: (none)
select
    s.id,
    s.kind,
    s.generation,
    s.source_document,
    s.vintage,
    s.file_name,
    s.shapes,
    s.recorded_by,
    s.recorded_at,
    row_number() over (
        partition by s.kind, s.generation order by s.recorded_at desc, s.id desc
    ) = 1 as in_use
from contour_set as s
where s.cancelled_at is null
order by s.kind desc, s.generation desc nulls last, s.recorded_at desc, s.id desc
