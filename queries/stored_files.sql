-- name: stored_files
-- purpose: every stored file with the number of live attachments naming it (health check, backups)
-- params: none
select
    f.id,
    f.sha256,
    f.size_bytes,
    f.media_type,
    any_value(a.file_name) as file_name,
    count(a.id) filter (where a.cancelled_at is null) as attachments
from stored_file as f
left join attachment as a on a.file_id = f.id
group by all
order by f.id
