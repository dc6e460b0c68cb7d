-- name: session_of_token
-- purpose: one session (by the SHA-256 of its token) with its account as it is now: what resuming a signed-in browser checks
-- params: $token_hash (varchar)
with final as (
    select
        s.id as session_id,
        s.last_seen_at,
        s.expires_at,
        s.revoked_at,
        s.revoked_reason,
        s.access_epoch as session_epoch,
        u.id as user_id,
        u.login,
        u.role,
        u.display_name,
        u.active,
        u.access_epoch,
        u.password_provisional
    from user_session as s
    inner join app_user as u on s.user_id = u.id
    where s.token_hash = $token_hash and s.kind = 'session'
)

select * from final
