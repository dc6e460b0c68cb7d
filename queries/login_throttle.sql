-- name: login_throttle
-- purpose: failed (or still pending) logins since the last success, for one login name from one client and for one client whatever the name: the lockout's counts
-- params: $login_key (varchar), $client_key (varchar), $pair_since (timestamp), $client_since (timestamp)
with pair_success as (
    select coalesce(max(attempted_at), timestamp '1970-01-01') as at_time
    from login_attempt
    where login_key = $login_key and client_key = $client_key and outcome = 'success'
),

pair as (
    select count(*) as failures, max(attempted_at) as last_at
    from login_attempt
    where login_key = $login_key
        and client_key = $client_key
        and outcome in ('failure', 'pending')
        and attempted_at >= $pair_since
        and attempted_at > (select at_time from pair_success)
),

client as (
    select count(*) as failures, max(attempted_at) as last_at
    from login_attempt
    where client_key = $client_key
        and outcome in ('failure', 'pending')
        and attempted_at >= $client_since
),

final as (
    select
        pair.failures as pair_failures,
        pair.last_at as pair_last_at,
        client.failures as client_failures,
        client.last_at as client_last_at
    from pair, client
)

select * from final
