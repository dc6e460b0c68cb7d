-- name: programme_month_rows
-- purpose: the programme_month rows of the chosen programmes: their day rows (programme_day, recomputed just before) summed by month
-- params: chosen (integer[])
-- uses: none
-- the programme_month rows of the chosen programmes: what their days changed
-- (programme_day: the sides of their items, log and archivings by day), summed by month;
-- last_on, the month's last day with a change (the sums take the table's types when
-- written into programme_month)
create or replace macro programme_month_rows(chosen) as table
select
    programme_id,
    cast(date_trunc('month', day) as date) as month,
    max(day) as last_on,
    sum(columns(* exclude (programme_id, day)))
from programme_day
where programme_id in (select unnest(chosen))
group by programme_id, cast(date_trunc('month', day) as date);
