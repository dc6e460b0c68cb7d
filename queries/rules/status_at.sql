-- name: status_at
-- purpose: the status of every item as of a date (item_status when the date is on or after the latest recorded event, else the log up to that day)
-- params: as_of (date)
-- uses: effective_progress
-- wording: Un statut compte à la date de son changement : le statut « au » une date est le dernier changement à cette date.
-- Same contract as in 0003: the status of every item as of a date (item_status when
-- the date is on or after the latest recorded event, else the log up to that day).
create or replace macro status_at(as_of) as table
with horizon as (
    select coalesce(max(occurred_on), date '1900-01-01') as last_on from status_event
),

current_rows as (
    select item_kind, item_id, status, progress
    from item_status
    where as_of >= (select last_on from horizon)
),

past_rows as (
    select item_kind, item_id, arg_max(to_status, id) as status, arg_max(progress, id) as progress
    from status_event
    where occurred_on <= as_of and as_of < (select last_on from horizon)
    group by item_kind, item_id
),

final as (
    select * from current_rows
    union all
    select * from past_rows
)

select
    item_kind,
    item_id,
    status,
    progress,
    effective_progress(status, progress) as effective_progress
from final;
