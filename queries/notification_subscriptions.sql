-- name: notification_subscriptions
-- purpose: the live subscriptions of the active accounts, with the account's address when it is verified (NULL otherwise: its notifications go to its notification centre only) and the reminder days
-- params: none
select
    s.id,
    s.user_id,
    s.programme_id,
    s.kind,
    s.reminder_days,
    u.login,
    u.display_name,
    case when u.email_verified_at is not null then u.email end as email
from subscription as s
join app_user as u on u.id = s.user_id
where s.cancelled_at is null and u.active
order by s.user_id, s.id
