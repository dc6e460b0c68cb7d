-- name: work_item_rows
-- purpose: the tree programme > phase > orientation > action as it stood at a date (programmes present then, items existing then and not yet archived), without statuses: « work_items » joins each row to its status then (work_item_statuses), so that a status change re-reads only the statuses
-- params: $as_of (date), $programme_code (varchar; NULL: every programme), $without_actions (boolean, optional: phases and orientations only, as a pack of many programmes shows them)
with items as (
    select
        w.*,
        pr.code as programme_code,
        pr.title as programme_title,
        ph.number as phase_number,
        case when w.item_kind = 'action' then o.title end as orientation_title,
        coalesce(o.position, 0) as orientation_position
    from work_item as w
    join programme as pr on pr.id = w.programme_id
    join programme_start as ps on ps.programme_id = pr.id
    left join phase as ph on ph.id = w.phase_id
    left join orientation as o on o.id = w.orientation_id
    where ($programme_code is null or pr.code = $programme_code)
        and not (coalesce($without_actions, false) and w.item_kind = 'action')
        and ps.starts_on <= $as_of
        and w.exists_from <= $as_of
        and (w.archived_on is null or w.archived_on > $as_of)
        and (pr.archived_on is null or pr.archived_on > $as_of)
)

select
    i.programme_code,
    i.programme_title,
    i.item_kind,
    i.item_id,
    i.phase_id,
    i.phase_number,
    i.orientation_id,
    i.orientation_title,
    i.position,
    i.title,
    i.starts_on,
    i.ends_on,
    i.weight,
    i.lead,
    i.territory,
    i.version,
    src.document as source_document,
    src.article as source_article,
    src.excerpt as source_excerpt
from items as i
left join source_ref as src on src.id = i.source_id
-- phases, then their orientations, then their actions
order by i.programme_code, coalesce(i.phase_number, 999),
    case i.item_kind when 'phase' then 0 else 1 end, i.orientation_position,
    case i.item_kind when 'orientation' then 0 else 1 end, i.position, i.item_id
