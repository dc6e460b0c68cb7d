-- name: recent_login_failures
-- purpose: failed logins of one account since its last success and within a window, for the lockout
-- params: $login (varchar), $since (timestamp)
with last_success as (
    select coalesce(max(attempted_at), timestamp '1970-01-01') as at_time
    from login_attempt
    where login = $login and succeeded
),

final as (
    select count(*) as failures, max(attempted_at) as last_failure_at
    from login_attempt
    where login = $login
        and not succeeded
        and attempted_at >= $since
        and attempted_at > (select at_time from last_success)
)

select * from final
