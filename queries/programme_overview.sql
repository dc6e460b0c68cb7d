-- name: programme_overview
-- purpose: one row per programme present at a date: item status counts (archived items left out from their archiving), how many items have a known status and progress, the weighted progress over those, and the last and next meetings known at the date (meeting_start; money per tax basis: money_by_basis); summed from the programme's month rows before the month of the day after the date (programme_month) and that month's day rows up to the date (programme_day)
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
with present as (
    select pr.id, pr.code, pr.title, pr.kind
    from programme as pr
    join programme_start as ps on ps.programme_id = pr.id
    where ps.starts_on <= $as_of and (pr.archived_on is null or pr.archived_on > $as_of)
        and ($programme_code is null or pr.code = $programme_code)
),

-- what each present programme's items counted at $as_of: its month rows before the
-- month of the day after $as_of, and its day rows from that month's first day up to
-- $as_of (none when $as_of is a month's last day: a quarter's last day reads only
-- months); about a hundred rows per programme, whatever the number of items and events
-- (programme_month and programme_day, kept current by every write, the same sides)
parts as (
    select programme_id, sum(columns(* exclude (programme_id, month, last_on)))
    from programme_month as m
    semi join present as p on p.id = m.programme_id
    where m.month < cast(date_trunc('month', $as_of + interval 1 day) as date)
    group by programme_id
    union all
    select programme_id, sum(columns(* exclude (programme_id, day)))
    from programme_day as d
    semi join present as p on p.id = d.programme_id
    where d.day >= cast(date_trunc('month', $as_of + interval 1 day) as date)
        and d.day <= $as_of
    group by programme_id
),

item_stats as (
    select programme_id, sum(columns(* exclude (programme_id)))
    from parts
    group by programme_id
),

meetings as (
    select
        c.programme_id,
        max(m.held_on) filter (where m.held_on <= $as_of) as last_meeting_on,
        min(m.held_on) filter (where m.held_on > $as_of) as next_meeting_on
    from meeting as m
    join committee as c on c.id = m.committee_id
    join meeting_start as ms on ms.meeting_id = m.id
    semi join present as p on p.id = c.programme_id
    where m.cancelled_at is null and ms.known_from <= $as_of
    group by c.programme_id
),

final as (
    select
        pr.id as programme_id,
        pr.code,
        pr.title,
        pr.kind,
        coalesce(i.phases_total, 0)::bigint as phases_total,
        coalesce(i.phases_delivered, 0)::bigint as phases_delivered,
        coalesce(i.phases_unknown, 0)::bigint as phases_unknown,
        coalesce(i.orientations_total, 0)::bigint as orientations_total,
        coalesce(i.actions_total, 0)::bigint as actions_total,
        coalesce(i.items_total, 0)::bigint as items_total,
        coalesce(i.planned, 0)::bigint as planned,
        coalesce(i.in_progress, 0)::bigint as in_progress,
        coalesce(i.delivered, 0)::bigint as delivered,
        coalesce(i.validated, 0)::bigint as validated,
        coalesce(i.blocked, 0)::bigint as blocked,
        coalesce(i.cancelled, 0)::bigint as cancelled,
        coalesce(i.status_unknown, 0)::bigint as status_unknown,
        coalesce(i.progress_known, 0)::bigint as progress_known,
        round(i.weighted_sum / nullif(i.weight_known, 0), 1) as weighted_progress,
        mt.last_meeting_on,
        mt.next_meeting_on
    from present as pr
    left join item_stats as i on i.programme_id = pr.id
    left join meetings as mt on mt.programme_id = pr.id
)

select * from final
order by code
