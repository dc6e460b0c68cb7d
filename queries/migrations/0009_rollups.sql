-- Roll-ups kept current in the write transactions (dashboard/tracker/rollups.py), so
-- that the overview reads about a hundred rows per programme, whatever the number of
-- items, status events or payments — today and « au » any past date.
--
-- A status event now records the progress as it stood before it (from_progress, beside
-- from_status): what an event changes in its programme's counts is read from its own
-- row. programme_month holds, per programme and month, the sum of what the month's
-- events and archivings changed (month 0001-01-01: every item once, status unknown);
-- the counts at a date are the months before that date's month plus its own month's
-- events and archivings up to that day. budget_line_spent holds each line's payments.

alter table status_event add column from_progress integer;

update status_event set from_progress = prior.progress
from (
    select id, last_value(progress ignore nulls) over (
        partition by item_kind, item_id order by id
        rows between unbounded preceding and 1 preceding) as progress
    from status_event
) as prior
where prior.id = status_event.id and prior.progress is not null;

create table programme_month (
    programme_id integer not null,
    month date not null,
    last_on date not null,
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
    weighted_sum decimal(38, 2) not null,
    primary key (programme_id, month)
);

-- one row per archived item: its state on its archiving day, which the archiving removes
create table archive_side (
    programme_id integer not null,
    item_kind varchar not null,
    item_id integer not null,
    occurred_on date not null,
    weight decimal(9, 2) not null,
    status varchar,
    progress integer
);

-- the non-cancelled payments of each budget line that has any; valid_from: the latest
-- payment date (a date before it is computed from the payments)
create table budget_line_spent (
    budget_line_id integer primary key,
    valid_from date not null,
    payments integer not null,
    committed decimal(38, 2),
    ordered decimal(38, 2),
    paid decimal(38, 2)
);

create macro chosen_items(chosen) as table
select programme_id, 'phase' as item_kind, id, weight, archived_on from phase
where programme_id in (select unnest(chosen))
union all
select programme_id, 'orientation', id, weight, archived_on from orientation
where programme_id in (select unnest(chosen))
union all
select programme_id, 'action', id, weight, archived_on from action
where programme_id in (select unnest(chosen));

-- the archived items' state on their archiving day (their last event before it)
create macro archive_side_rows(chosen) as table
with archived as (
    select * from chosen_items(chosen) where archived_on is not null
),

before_archiving as (
    select
        e.item_kind,
        e.item_id,
        arg_max(e.to_status, e.id) as status,
        arg_max(coalesce(e.progress, e.from_progress), e.id) as progress
    from status_event as e
    semi join archived as a on a.item_kind = e.item_kind and a.id = e.item_id
        and e.occurred_on < a.archived_on
    group by e.item_kind, e.item_id
)

select a.programme_id, a.item_kind, a.id, a.archived_on, a.weight, b.status, b.progress
from archived as a
left join before_archiving as b on b.item_kind = a.item_kind and b.item_id = a.id;

-- what the events (both sides of each: +1 its new state, -1 the state before), the
-- archivings (-1 the state and the item) and, with ``structure``, the items themselves
-- (+1 each, status unknown) of the chosen programmes dated from since to until add to
-- their programme's counts, one row per side
create macro counted_sides(since, until, chosen, structure) as table
with items as (
    select * from chosen_items(chosen)
),

-- the events of the period, each joined once to its item (its weight, programme and
-- archiving day; only the items these events concern), then counted on both sides. A
-- recomputation (``structure``: a few programmes, every date) first keeps the events of
-- their items; a read (every programme, a few days) first keeps the days' events.
period as materialized (
    select e.*
    from status_event as e
    where e.occurred_on between since and until
        and (not structure or (e.item_kind, e.item_id) in (select item_kind, id from items))
),

concerned as (
    select i.*
    from items as i
    semi join period as e on e.item_kind = i.item_kind and e.item_id = i.id
),

joined as materialized (
    select i.programme_id, e.occurred_on, i.item_kind, i.weight, e.to_status,
        coalesce(e.progress, e.from_progress) as to_progress, e.from_status, e.from_progress
    from period as e
    join concerned as i on i.item_kind = e.item_kind and i.id = e.item_id
    where i.archived_on is null or e.occurred_on < i.archived_on
),

events as (
    select programme_id, occurred_on, item_kind, weight, to_status as status,
        to_progress as progress, 1 as sign, 0 as total
    from joined
    union all
    select programme_id, occurred_on, item_kind, weight, from_status, from_progress, -1, 0
    from joined
),

structure as (
    select programme_id, date '0001-01-01' as occurred_on, item_kind, weight,
        cast(null as varchar) as status, cast(null as integer) as progress, 1 as sign, 1 as total
    from items
    where structure
),

archivings as (
    select programme_id, occurred_on, item_kind, weight, status, progress, -1, -1
    from archive_side
    where programme_id in (select unnest(chosen)) and occurred_on between since and until
),

sides as (
    select * from events
    union all select * from structure
    union all select * from archivings
)

select
    programme_id,
    occurred_on,
    total * (item_kind = 'phase')::integer as phases_total,
    sign * (item_kind = 'phase' and coalesce(status in ('delivered', 'validated'), false))::integer
        as phases_delivered,
    sign * (item_kind = 'phase' and status is null)::integer as phases_unknown,
    total * (item_kind = 'orientation')::integer as orientations_total,
    total * (item_kind = 'action')::integer as actions_total,
    total as items_total,
    sign * coalesce(status = 'planned', false)::integer as planned,
    sign * coalesce(status = 'in_progress', false)::integer as in_progress,
    sign * coalesce(status = 'delivered', false)::integer as delivered,
    sign * coalesce(status = 'validated', false)::integer as validated,
    sign * coalesce(status = 'blocked', false)::integer as blocked,
    sign * coalesce(status = 'cancelled', false)::integer as cancelled,
    sign * (status is null)::integer as status_unknown,
    sign * (effective_progress(status, progress) is not null)::integer as progress_known,
    cast(sign * case when effective_progress(status, progress) is not null then weight else 0 end
        as decimal(38, 2)) as weight_known,
    cast(sign * weight * coalesce(effective_progress(status, progress), 0) as decimal(38, 2))
        as weighted_sum
from sides;

-- the programme_month rows of the chosen programmes, from their items, log and archivings
create macro programme_month_rows(chosen) as table
select
    programme_id,
    cast(date_trunc('month', occurred_on) as date) as month,
    max(occurred_on) as last_on,
    sum(phases_total)::integer, sum(phases_delivered)::integer, sum(phases_unknown)::integer,
    sum(orientations_total)::integer, sum(actions_total)::integer, sum(items_total)::integer,
    sum(planned)::integer, sum(in_progress)::integer, sum(delivered)::integer,
    sum(validated)::integer, sum(blocked)::integer, sum(cancelled)::integer,
    sum(status_unknown)::integer, sum(progress_known)::integer,
    sum(weight_known)::decimal(38, 2), sum(weighted_sum)::decimal(38, 2)
from counted_sides(date '0001-01-01', date '9999-12-31', chosen, true)
group by programme_id, cast(date_trunc('month', occurred_on) as date);

-- the budget_line_spent rows of the chosen lines, from their payments
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

insert into archive_side
select * from archive_side_rows((select coalesce(list(id), []::integer[]) from programme));

insert into programme_month
select * from programme_month_rows((select coalesce(list(id), []::integer[]) from programme));

insert into budget_line_spent
select * from budget_line_spent_rows((select coalesce(list(id), []::integer[]) from budget_line));
