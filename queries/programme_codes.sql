-- name: programme_codes
-- purpose: every programme's id and code (the read cache places a write by the programme its audit row names)
-- params: none
select id, code from programme
