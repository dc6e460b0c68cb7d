-- name: audit_written
-- purpose: the audit rows one write transaction wrote (after the watermark it began with), for the read cache: each row's entity, the programmes its before and after images name (NULL when none) and, for a record of a programme through its parent, that parent
-- params: $audit_after (bigint)
select
    id as log_id,
    entity,
    try_cast(before ->> 'programme_id' as integer) as programme_before,
    try_cast(after ->> 'programme_id' as integer) as programme_after,
    -- a record of one programme through its parent (an act, a committee, a meeting, a
    -- decision, a budget line): the parent its images name
    coalesce(
        try_cast(after ->> 'act_id' as integer), try_cast(before ->> 'act_id' as integer)
    ) as act_id,
    coalesce(
        try_cast(after ->> 'committee_id' as integer),
        try_cast(before ->> 'committee_id' as integer)
    ) as committee_id,
    coalesce(
        try_cast(after ->> 'meeting_id' as integer), try_cast(before ->> 'meeting_id' as integer)
    ) as meeting_id,
    coalesce(
        try_cast(after ->> 'decision_id' as integer),
        try_cast(before ->> 'decision_id' as integer)
    ) as decision_id,
    coalesce(
        try_cast(after ->> 'budget_line_id' as integer),
        try_cast(before ->> 'budget_line_id' as integer)
    ) as line_id
from audit_log
where id > $audit_after
