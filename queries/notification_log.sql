-- name: notification_log
-- purpose: the send log the administrators read: each notification with its account, what it is, when it was computed and sent, its state, attempts and the mail server's last answer
-- params: $limit (integer)
select
    n.id,
    u.login,
    n.kind,
    n.programme_code,
    n.subject,
    n.created_at,
    n.status,
    n.attempts,
    n.sent_at,
    n.last_error
from notification as n
left join app_user as u on u.id = n.user_id
order by n.created_at desc, n.id desc
limit $limit
