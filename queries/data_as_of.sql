-- name: data_as_of
-- purpose: when the data last changed (latest audit or status entry, UTC), shown as the data's "as of" time on every page
-- params: (none)
with stamps as (
    select max(occurred_at) as stamp from audit_log
    union all
    select max(recorded_at) from status_event
),

final as (
    select max(stamp) as data_as_of from stamps
)

select * from final
