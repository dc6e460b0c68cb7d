-- name: programme_overview
-- purpose: one row per programme present at a date: item status counts (archived items left out from their archiving), how many items have a known status and progress, the weighted progress over those, and the last and next meetings (money per tax basis: money_by_basis)
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
with status as (
    select * from status_at($as_of)
),

present as (
    select pr.id, pr.code, pr.title, pr.kind
    from programme as pr
    join programme_start as ps on ps.programme_id = pr.id
    where ps.starts_on <= $as_of and (pr.archived_on is null or pr.archived_on > $as_of)
        and ($programme_code is null or pr.code = $programme_code)
),

-- one branch per kind joins on the integer id alone: faster than joining the
-- work_item view on (kind, id) at 225 000 items
items as (
    select ph.programme_id, 'phase' as item_kind, ph.weight, s.status, s.effective_progress
    from phase as ph
    left join status as s on s.item_kind = 'phase' and s.item_id = ph.id
    where ph.archived_on is null or ph.archived_on > $as_of
    union all
    select o.programme_id, 'orientation', o.weight, s.status, s.effective_progress
    from orientation as o
    left join status as s on s.item_kind = 'orientation' and s.item_id = o.id
    where o.archived_on is null or o.archived_on > $as_of
    union all
    select a.programme_id, 'action', a.weight, s.status, s.effective_progress
    from action as a
    left join status as s on s.item_kind = 'action' and s.item_id = a.id
    where a.archived_on is null or a.archived_on > $as_of
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
        round(sum(weight * effective_progress) / nullif(sum(weight) filter (
            where effective_progress is not null), 0), 1) as weighted_progress
    from items
    group by programme_id
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
        i.weighted_progress,
        mt.last_meeting_on,
        mt.next_meeting_on
    from present as pr
    left join item_stats as i on i.programme_id = pr.id
    left join meetings as mt on mt.programme_id = pr.id
)

select * from final
order by code
