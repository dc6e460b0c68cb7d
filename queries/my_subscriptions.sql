-- name: my_subscriptions
-- purpose: one account's address (and whether it is verified) and its live subscriptions, each with its programme (NULL: every programme) and reminder days
-- params: $login (varchar)
select
    u.id as user_id,
    u.email,
    u.email_verified_at,
    s.id as subscription_id,
    s.kind,
    s.programme_id,
    pr.code as programme_code,
    s.reminder_days,
    s.created_at
from app_user as u
left join subscription as s on s.user_id = u.id and s.cancelled_at is null
left join programme as pr on pr.id = s.programme_id
where u.login = $login
order by s.kind, pr.code nulls first
