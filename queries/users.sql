-- name: users
-- purpose: the accounts (never their password hash)
-- params: (none)
with final as (
    select id as user_id, login, display_name, role, active, created_at, updated_at
    from app_user
)

select * from final
order by login
