-- name: work_item_statuses
-- purpose: the status and progress of each item of the work tree as of a date (the kept current row, item_status, for an item not changed since; its events up to the date otherwise), for the items of one programme or of all
-- params: $as_of (date), $programme_code (varchar; NULL: every programme), $without_actions (boolean, optional: phases and orientations only), $only_phases (integer[], optional: only these phases), $only_orientations (integer[], optional: only these orientations), $only_actions (integer[], optional: only these actions)
-- every item of the programme(s), whether it exists at $as_of or not (work_item_rows says
-- which are shown), read from each table of the tree by its programme; with the $only_
-- lists, only the items they name (the server brings a kept result up to date with the
-- items whose status changed since: read_cache.BY_ITEM).
with programmes as (
    select id from programme where $programme_code is null or code = $programme_code
),

items as (
    select 'phase' as item_kind, ph.id as item_id
    from phase as ph semi join programmes as p on p.id = ph.programme_id
    where $only_phases is null or ph.id = any($only_phases)
    union all
    select 'orientation', o.id
    from orientation as o semi join programmes as p on p.id = o.programme_id
    where $only_orientations is null or o.id = any($only_orientations)
    union all
    select 'action', a.id
    from action as a semi join programmes as p on p.id = a.programme_id
    where not coalesce($without_actions, false)
        and ($only_actions is null or a.id = any($only_actions))
),

-- the kept current row of each of these items (item_status): its status at $as_of when its
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
    item_kind,
    item_id,
    status,
    progress,
    effective_progress(status, progress) as effective_progress,
    status_on,
    status_by,
    event_id,
    started_on,
    finished_on
from item_status
