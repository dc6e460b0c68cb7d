-- name: changes_written
-- purpose: what one write transaction wrote (after the watermarks it began with), for the read cache, in one round trip: its audit rows (log 'audit': the programmes each row's before and after images name, NULL when none, and, for a record of a programme through its parent, that parent — an act, a committee, a meeting, a decision, a budget line — as either image names it) and its status events (log 'status': each event's item, the day it counts from, and whether it is the item's first status — no earlier one, by date or by order: only such an event changes whether the item has a status known at a date)
-- params: $audit_after (bigint), $event_after (bigint)
with logged as (
    select
        id,
        before,
        after,
        json_merge_patch(coalesce(before, '{}'), coalesce(after, '{}')) as image
    from audit_log
    where id > $audit_after
)

select
    'audit' as log,
    id as log_id,
    try_cast(before ->> 'programme_id' as integer) as programme_before,
    try_cast(after ->> 'programme_id' as integer) as programme_after,
    try_cast(image ->> 'act_id' as integer) as act_id,
    try_cast(image ->> 'committee_id' as integer) as committee_id,
    try_cast(image ->> 'meeting_id' as integer) as meeting_id,
    try_cast(image ->> 'decision_id' as integer) as decision_id,
    try_cast(image ->> 'budget_line_id' as integer) as line_id,
    null::varchar as item_kind,
    null::integer as item_id,
    null::date as occurred_on,
    null::boolean as first_status
from logged
union all
select
    'status',
    id,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    item_kind,
    item_id,
    occurred_on,
    -- the item's first status: the status service records an event only on or after
    -- the item's latest one, from the status it had (none: its first); a revert goes
    -- back from a validation (tests/tracker/test_versions.py holds the log to it)
    from_status is null
from status_event
where id > $event_after
