-- name: audit_written
-- purpose: the audit rows one write transaction wrote (after the watermark it began with), for the read cache: the programmes each row's before and after images name (NULL when none) and, for a record of a programme through its parent, that parent (an act, a committee, a meeting, a decision, a budget line) as either image names it
-- params: $audit_after (bigint)
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
    id as log_id,
    try_cast(before ->> 'programme_id' as integer) as programme_before,
    try_cast(after ->> 'programme_id' as integer) as programme_after,
    try_cast(image ->> 'act_id' as integer) as act_id,
    try_cast(image ->> 'committee_id' as integer) as committee_id,
    try_cast(image ->> 'meeting_id' as integer) as meeting_id,
    try_cast(image ->> 'decision_id' as integer) as decision_id,
    try_cast(image ->> 'budget_line_id' as integer) as line_id
from logged
