-- name: programme_overview
-- purpose: one row per programme: item status counts, weighted progress, money allocated / committed / ordered / paid, as of a date
-- params: $as_of (date)
with status as (
    select * from status_at($as_of)
),

-- one branch per kind joins on the integer id alone: faster than joining the
-- work_item view on (kind, id) at 225 000 items
items as (
    select ph.programme_id, 'phase' as item_kind, ph.weight, s.status, s.effective_progress
    from phase as ph
    left join status as s on s.item_kind = 'phase' and s.item_id = ph.id
    union all
    select o.programme_id, 'orientation', o.weight, s.status, s.effective_progress
    from orientation as o
    left join status as s on s.item_kind = 'orientation' and s.item_id = o.id
    union all
    select o.programme_id, 'action', a.weight, s.status, s.effective_progress
    from action as a
    join orientation as o on o.id = a.orientation_id
    left join status as s on s.item_kind = 'action' and s.item_id = a.id
),

item_stats as (
    select
        programme_id,
        count(*) filter (where item_kind = 'phase') as phases_total,
        count(*) filter (where item_kind = 'phase' and status in ('delivered', 'validated'))
            as phases_delivered,
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

money as (
    select
        b.programme_id,
        sum(b.amount) as allocated,
        string_agg(distinct b.tax_basis, ',' order by b.tax_basis) as tax_bases,
        count(*) as budget_lines
    from budget_line as b
    group by b.programme_id
),

spending as (
    select
        b.programme_id,
        sum(p.amount) filter (where p.stage = 'commitment') as committed,
        sum(p.amount) filter (where p.stage = 'payment_order') as ordered,
        sum(p.amount) filter (where p.stage = 'disbursement') as paid,
        count(*) as payments
    from payment as p
    join budget_line as b on b.id = p.budget_line_id
    where p.occurred_on <= $as_of
    group by b.programme_id
),

meetings as (
    select
        c.programme_id,
        max(m.held_on) filter (where m.held_on <= $as_of) as last_meeting_on,
        min(m.held_on) filter (where m.held_on > $as_of) as next_meeting_on
    from meeting as m
    join committee as c on c.id = m.committee_id
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
        coalesce(m.allocated, 0)::decimal(14, 2) as allocated,
        m.tax_bases,
        coalesce(s.committed, 0)::decimal(14, 2) as committed,
        coalesce(s.ordered, 0)::decimal(14, 2) as ordered,
        coalesce(s.paid, 0)::decimal(14, 2) as paid,
        coalesce(s.payments, 0) as payments,
        round(100 * coalesce(s.paid, 0) / nullif(m.allocated, 0), 1) as consumption_rate,
        mt.last_meeting_on,
        mt.next_meeting_on
    from programme as pr
    left join item_stats as i on i.programme_id = pr.id
    left join money as m on m.programme_id = pr.id
    left join spending as s on s.programme_id = pr.id
    left join meetings as mt on mt.programme_id = pr.id
)

select * from final
order by code
