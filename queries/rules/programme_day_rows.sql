-- name: programme_day_rows
-- purpose: the programme_day rows of the chosen programmes, from their items, log and archivings: what each day changed in their counts
-- params: chosen (integer[])
-- uses: counted_sides
-- the programme_day rows of the chosen programmes, from their items, log and archivings:
-- their sides (counted_sides) summed by day; the month rows are these days summed by month
-- (programme_month_rows)
create or replace macro programme_day_rows(chosen) as table
select
    programme_id,
    occurred_on as day,
    sum(phases_total)::integer, sum(phases_delivered)::integer, sum(phases_unknown)::integer,
    sum(orientations_total)::integer, sum(actions_total)::integer, sum(items_total)::integer,
    sum(planned)::integer, sum(in_progress)::integer, sum(delivered)::integer,
    sum(validated)::integer, sum(blocked)::integer, sum(cancelled)::integer,
    sum(status_unknown)::integer, sum(progress_known)::integer,
    sum(weight_known)::decimal(38, 2), sum(weighted_sum)::decimal(38, 2)
from counted_sides(date '0001-01-01', date '9999-12-31', chosen, true)
group by programme_id, occurred_on;
