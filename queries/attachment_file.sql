-- name: attachment_file
-- purpose: one live attachment with its stored file (to download it)
-- params: $attachment_id (integer)
select a.id, a.file_name, f.sha256, f.media_type, f.size_bytes
from attachment as a
join stored_file as f on f.id = a.file_id
where a.id = $attachment_id and a.cancelled_at is null
