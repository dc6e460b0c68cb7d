-- name: not_yet
-- purpose: the records of one kind that do not exist yet at a date (record_start after it): every « au » read leaves them out
-- params: entity_kind (varchar), as_of (date)
-- uses: record_start
create or replace macro not_yet(entity_kind, as_of) as table
select entity_id
from record_start
where entity = entity_kind and starts_on > as_of;
