-- name: my_notifications
-- purpose: the notification centre of one account: its latest notifications (sent, to send, or kept without a mail), read or not, with their link
-- params: $user_id (integer), $limit (integer)
select id, kind, programme_code, subject, body, link, created_at, status, sent_at, read_at
from notification
where user_id = $user_id and kind <> 'test'
order by created_at desc, id desc
limit $limit
