-- Per-programme and per-budget-line roll-ups kept current in the write transactions
-- (dashboard/tracker/rollups.py), so that today's overview grows with the number of
-- programmes, not with the number of items, status events or payments.
--
-- Each row says from which day it is the answer (valid_from): the latest status date
-- of the programme's items and the latest archiving date among them (for a budget
-- line, its latest payment date). A read « au » an earlier day computes that programme
-- (that line) from the log as before; on that day or after, it reads the row.

create table programme_rollup (
    programme_id integer primary key,
    valid_from date not null,
    phases_total integer not null,
    phases_delivered integer not null,
    phases_unknown integer not null,
    orientations_total integer not null,
    actions_total integer not null,
    items_total integer not null,
    planned integer not null,
    in_progress integer not null,
    delivered integer not null,
    validated integer not null,
    blocked integer not null,
    cancelled integer not null,
    status_unknown integer not null,
    progress_known integer not null,
    -- sum(weight) and sum(weight * effective progress) over the items whose effective
    -- progress is known: the weighted progress is their quotient
    weight_known decimal(38, 2) not null,
    weighted_sum decimal(38, 2) not null
);

-- the non-cancelled payments of each budget line that has any
create table budget_line_spent (
    budget_line_id integer primary key,
    valid_from date not null,
    payments integer not null,
    committed decimal(38, 2),
    ordered decimal(38, 2),
    paid decimal(38, 2)
);

-- the rows of the chosen programmes as their items and statuses give them now
create macro programme_rollup_rows(chosen) as table
with items as (
    select programme_id, 'phase' as item_kind, id, weight, archived_on from phase
    where programme_id in (select unnest(chosen))
    union all
    select programme_id, 'orientation', id, weight, archived_on from orientation
    where programme_id in (select unnest(chosen))
    union all
    select programme_id, 'action', id, weight, archived_on from action
    where programme_id in (select unnest(chosen))
),

live as (
    select
        i.programme_id,
        i.item_kind,
        i.weight,
        s.status,
        s.status_on,
        effective_progress(s.status, s.progress) as effective_progress
    from items as i
    left join item_status as s on s.item_kind = i.item_kind and s.item_id = i.id
    where i.archived_on is null
),

stats as (
    select
        programme_id,
        max(status_on) as last_status_on,
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
        coalesce(sum(weight) filter (where effective_progress is not null), 0) as weight_known,
        coalesce(sum(weight * effective_progress), 0) as weighted_sum
    from live
    group by programme_id
),

archived as (
    select programme_id, max(archived_on) as last_archived_on
    from items
    where archived_on is not null
    group by programme_id
)

select
    pr.id as programme_id,
    greatest(coalesce(s.last_status_on, date '1900-01-01'),
             coalesce(a.last_archived_on, date '1900-01-01')) as valid_from,
    coalesce(s.phases_total, 0), coalesce(s.phases_delivered, 0), coalesce(s.phases_unknown, 0),
    coalesce(s.orientations_total, 0), coalesce(s.actions_total, 0), coalesce(s.items_total, 0),
    coalesce(s.planned, 0), coalesce(s.in_progress, 0), coalesce(s.delivered, 0),
    coalesce(s.validated, 0), coalesce(s.blocked, 0), coalesce(s.cancelled, 0),
    coalesce(s.status_unknown, 0), coalesce(s.progress_known, 0),
    coalesce(s.weight_known, 0), coalesce(s.weighted_sum, 0)
from programme as pr
left join stats as s on s.programme_id = pr.id
left join archived as a on a.programme_id = pr.id
where pr.id in (select unnest(chosen));

-- the rows of the chosen budget lines as their payments give them now
create macro budget_line_spent_rows(chosen) as table
select
    budget_line_id,
    max(occurred_on) as valid_from,
    count(*) as payments,
    sum(amount) filter (where stage = 'commitment') as committed,
    sum(amount) filter (where stage = 'payment_order') as ordered,
    sum(amount) filter (where stage = 'disbursement') as paid
from payment
where cancelled_at is null and budget_line_id in (select unnest(chosen))
group by budget_line_id;

insert into programme_rollup
select * from programme_rollup_rows((select coalesce(list(id), []) from programme));

insert into budget_line_spent
select * from budget_line_spent_rows((select coalesce(list(id), []) from budget_line));
