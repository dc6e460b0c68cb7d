-- name: work_items
-- purpose: the tree programme > phase > orientation > action as it stood at a date (programmes present then, items existing then and not yet archived), each item with its status and progress then (the kept current row, item_status, for an item not changed since; its events up to the date otherwise)
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
),

-- the kept current row of each item shown (item_status): its status at $as_of when its
-- latest change is dated on or before $as_of (always so for today: no log is read)
kept as (
    select s.*
    from item_status as s
    semi join items as i on i.item_kind = s.item_kind and i.item_id = s.item_id
),

-- the items changed after $as_of: their status then, from their own events up to it
later as (
    select item_kind, item_id from kept where status_on > $as_of
),

item_status as (
    select item_kind, item_id, event_id, status, status_on, status_by, progress, started_on,
        finished_on
    from kept
    where status_on <= $as_of
    union all
    select
        e.item_kind,
        e.item_id,
        -- the latest event's own values, NULL ones included (arg_max_null); the progress
        -- is the last one stated (arg_max leaves NULLs aside)
        max(e.id) as event_id,
        arg_max_null(e.to_status, e.id) as status,
        arg_max_null(e.occurred_on, e.id) as status_on,
        arg_max_null(e.actor, e.id) as status_by,
        arg_max(e.progress, e.id) as progress,
        min(e.occurred_on) filter (where e.to_status = 'in_progress') as started_on,
        max(e.occurred_on) filter (where e.to_status in ('delivered', 'validated')) as finished_on
    from status_event as e
    semi join later as l on l.item_kind = e.item_kind and l.item_id = e.item_id
    where e.occurred_on <= $as_of
    group by e.item_kind, e.item_id
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
    s.status,
    s.progress,
    effective_progress(s.status, s.progress) as effective_progress,
    s.status_on,
    s.status_by,
    s.event_id,
    s.started_on,
    s.finished_on,
    src.document as source_document,
    src.article as source_article,
    src.excerpt as source_excerpt
from items as i
left join item_status as s on s.item_kind = i.item_kind and s.item_id = i.item_id
left join source_ref as src on src.id = i.source_id
-- phases, then their orientations, then their actions
order by i.programme_code, coalesce(i.phase_number, 999),
    case i.item_kind when 'phase' then 0 else 1 end, i.orientation_position,
    case i.item_kind when 'orientation' then 0 else 1 end, i.position, i.item_id
