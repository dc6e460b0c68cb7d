-- name: unread_notifications
-- purpose: how many notifications of one account are unread (the count beside « Notifications » in the menu)
-- params: $login (varchar)
select count(*) as unread
from notification as n
join app_user as u on u.id = n.user_id
where u.login = $login and n.read_at is null and n.kind <> 'test'
