-- name: work_items
-- purpose: the tree programme > phase > orientation > action, each item with its status and progress as of a date
-- params: $as_of (date)
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
    left join phase as ph on ph.id = w.phase_id
    left join orientation as o on o.id = w.orientation_id
),

final as (
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
        s.status,
        s.progress,
        s.effective_progress,
        s.status_on,
        s.status_by,
        s.event_id,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt,
        -- sort key: phases, then their orientations, then their actions
        coalesce(i.phase_number, 999) as sort_phase,
        case i.item_kind when 'phase' then 0 else 1 end as sort_level,
        i.orientation_position as sort_orientation
    from items as i
    left join status_at($as_of) as s on s.item_kind = i.item_kind and s.item_id = i.item_id
    left join source_ref as src on src.id = i.source_id
)

select * exclude (sort_phase, sort_level, sort_orientation)
from final
order by programme_code, sort_phase, sort_level, sort_orientation,
    case item_kind when 'orientation' then 0 else 1 end, position, item_id
