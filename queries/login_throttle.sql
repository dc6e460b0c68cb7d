-- name: login_throttle
-- purpose: the lockout's counts for one attempt: failed (or pending) logins since the last success for its login name from its client, from its browser, and from everywhere (the account), and for its client whatever the name; whether its browser has signed in to this name before
-- params: $login_key (varchar), $client_key (varchar), $browser_key (varchar), $pair_since (timestamp), $client_since (timestamp)
with name_success as (
    select coalesce(max(attempted_at), timestamp '1970-01-01') as at_time
    from login_attempt
    where login_key = $login_key and outcome = 'success'
),

pair_success as (
    select coalesce(max(attempted_at), timestamp '1970-01-01') as at_time
    from login_attempt
    where login_key = $login_key and client_key = $client_key and outcome = 'success'
),

browser_success as (
    select
        count(*) > 0 as known,
        coalesce(max(attempted_at), timestamp '1970-01-01') as at_time
    from login_attempt
    where login_key = $login_key and browser_key = $browser_key and outcome = 'success'
),

failed as (
    select *
    from login_attempt
    where outcome in ('failure', 'pending')
),

pair as (
    select count(*) as failures, max(attempted_at) as last_at
    from failed
    where login_key = $login_key
        and client_key = $client_key
        and attempted_at >= $pair_since
        and attempted_at > (select at_time from pair_success)
),

browser as (
    select count(*) as failures, max(attempted_at) as last_at
    from failed
    where login_key = $login_key
        and browser_key = $browser_key
        and attempted_at >= $pair_since
        and attempted_at > (select at_time from browser_success)
),

account as (
    select count(*) as failures, max(attempted_at) as last_at
    from failed
    where login_key = $login_key
        and attempted_at >= $client_since
        and attempted_at > (select at_time from name_success)
),

client as (
    select count(*) as failures, max(attempted_at) as last_at
    from failed
    where client_key = $client_key
        and attempted_at >= $client_since
),

final as (
    select
        pair.failures as pair_failures,
        pair.last_at as pair_last_at,
        browser.failures as browser_failures,
        browser.last_at as browser_last_at,
        account.failures as account_failures,
        account.last_at as account_last_at,
        client.failures as client_failures,
        client.last_at as client_last_at,
        (select known from browser_success) as known_browser
    from pair, browser, account, client
)

select * from final
