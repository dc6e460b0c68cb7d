-- name: programme_month_rows
-- purpose: the programme_month rows of the chosen programmes: their day rows (programme_day, recomputed just before) summed by month
-- params: chosen (integer[])
-- uses: none
-- the programme_month rows of the chosen programmes: what their days changed
-- (programme_day: the sides of their items, log and archivings by day), summed by month;
-- last_on, the month's last day with a change
create or replace macro programme_month_rows(chosen) as table
select
    programme_id,
    cast(date_trunc('month', day) as date) as month,
    max(day) as last_on,
    sum(phases_total)::integer, sum(phases_delivered)::integer, sum(phases_unknown)::integer,
    sum(orientations_total)::integer, sum(actions_total)::integer, sum(items_total)::integer,
    sum(planned)::integer, sum(in_progress)::integer, sum(delivered)::integer,
    sum(validated)::integer, sum(blocked)::integer, sum(cancelled)::integer,
    sum(status_unknown)::integer, sum(progress_known)::integer,
    sum(weight_known)::decimal(38, 2), sum(weighted_sum)::decimal(38, 2)
from programme_day
where programme_id in (select unnest(chosen))
group by programme_id, cast(date_trunc('month', day) as date);
