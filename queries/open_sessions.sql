-- name: open_sessions
-- purpose: the sessions open at a time, per account: how many and when last used (administration)
-- params: $now (timestamp)
with open_session as (
    select user_id, last_seen_at
    from user_session
    where kind = 'session' and revoked_at is null and expires_at > $now
),

final as (
    select
        u.login,
        u.display_name,
        count(*) as sessions,
        max(o.last_seen_at) as last_seen_at
    from open_session as o
    inner join app_user as u on o.user_id = u.id
    group by u.login, u.display_name
)

select * from final
order by last_seen_at desc
