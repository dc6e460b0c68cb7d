-- name: programme_overview
-- purpose: one row per programme present at a date: item status counts (archived items left out from their archiving), how many items have a known status and progress, the weighted progress over those, and the last and next meetings (money per tax basis: money_by_basis); read from the programme's roll-up on or after the day it holds from, computed from the status log before it
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
with present as (
    select pr.id, pr.code, pr.title, pr.kind
    from programme as pr
    join programme_start as ps on ps.programme_id = pr.id
    where ps.starts_on <= $as_of and (pr.archived_on is null or pr.archived_on > $as_of)
        and ($programme_code is null or pr.code = $programme_code)
),

-- the programmes whose roll-up (kept current by every write) is the answer at $as_of
rolled as (
    select r.*
    from programme_rollup as r
    semi join present as p on p.id = r.programme_id
    where r.valid_from <= $as_of
),

-- the others (a date before their latest status change or archiving): from the log
computed as (
    select id from present
    where id not in (select programme_id from rolled)
),

-- their live items, then each item's status as of $as_of from the log (nothing is
-- read when every programme is rolled up)
live_items as (
    select programme_id, 'phase' as item_kind, id, weight from phase
    where (archived_on is null or archived_on > $as_of) and programme_id in (select id from computed)
    union all
    select programme_id, 'orientation', id, weight from orientation
    where (archived_on is null or archived_on > $as_of) and programme_id in (select id from computed)
    union all
    select programme_id, 'action', id, weight from action
    where (archived_on is null or archived_on > $as_of) and programme_id in (select id from computed)
),

items as (
    select i.programme_id, i.item_kind, i.weight, s.status, s.effective_progress
    from live_items as i
    left join status_at($as_of) as s on s.item_kind = i.item_kind and s.item_id = i.id
),

item_stats as (
    select
        programme_id,
        count(*) filter (where item_kind = 'phase') as phases_total,
        count(*) filter (where item_kind = 'phase' and status in ('delivered', 'validated'))
            as phases_delivered,
        count(*) filter (where item_kind = 'phase' and status is null) as phases_unknown,
        count(*) filter (where item_kind = 'orientation') as orientations_total,
        count(*) filter (where item_kind = 'action') as actions_total,
        count(*) as items_total,
        count(*) filter (where status = 'planned') as planned,
        count(*) filter (where status = 'in_progress') as in_progress,
        count(*) filter (where status = 'delivered') as delivered,
        count(*) filter (where status = 'validated') as validated,
        count(*) filter (where status = 'blocked') as blocked,
        count(*) filter (where status = 'cancelled') as cancelled,
        count(*) filter (where status is null) as status_unknown,
        count(effective_progress) as progress_known,
        sum(weight) filter (where effective_progress is not null) as weight_known,
        sum(weight * effective_progress) as weighted_sum
    from items
    group by programme_id
    union all
    select
        programme_id, phases_total, phases_delivered, phases_unknown, orientations_total,
        actions_total, items_total, planned, in_progress, delivered, validated, blocked,
        cancelled, status_unknown, progress_known, weight_known, weighted_sum
    from rolled
),

meetings as (
    select
        c.programme_id,
        max(m.held_on) filter (where m.held_on <= $as_of) as last_meeting_on,
        min(m.held_on) filter (where m.held_on > $as_of) as next_meeting_on
    from meeting as m
    join committee as c on c.id = m.committee_id
    where m.cancelled_at is null
    group by c.programme_id
),

final as (
    select
        pr.id as programme_id,
        pr.code,
        pr.title,
        pr.kind,
        coalesce(i.phases_total, 0) as phases_total,
        coalesce(i.phases_delivered, 0) as phases_delivered,
        coalesce(i.phases_unknown, 0) as phases_unknown,
        coalesce(i.orientations_total, 0) as orientations_total,
        coalesce(i.actions_total, 0) as actions_total,
        coalesce(i.items_total, 0) as items_total,
        coalesce(i.planned, 0) as planned,
        coalesce(i.in_progress, 0) as in_progress,
        coalesce(i.delivered, 0) as delivered,
        coalesce(i.validated, 0) as validated,
        coalesce(i.blocked, 0) as blocked,
        coalesce(i.cancelled, 0) as cancelled,
        coalesce(i.status_unknown, 0) as status_unknown,
        coalesce(i.progress_known, 0) as progress_known,
        round(i.weighted_sum / nullif(i.weight_known, 0), 1) as weighted_progress,
        mt.last_meeting_on,
        mt.next_meeting_on
    from present as pr
    left join item_stats as i on i.programme_id = pr.id
    left join meetings as mt on mt.programme_id = pr.id
)

select * from final
order by code
