-- name: effective_progress
-- purpose: how far an item is, reading its status too
-- params: status (varchar), progress (integer)
-- uses: none
-- wording: Livré ou validé compte pour 100 %, prévu pour 0 % sauf avancement indiqué, abandonné ne compte pas ; sinon le dernier avancement indiqué.
-- How far an item is, reading its status too: delivered or validated count as 100,
-- planned as 0 unless stated, cancelled not at all; otherwise the last stated progress.
create or replace macro effective_progress(status, progress) as
    case
        when status in ('delivered', 'validated') then 100
        when status = 'planned' then coalesce(progress, 0)
        when status = 'cancelled' then null
        else progress
    end;
