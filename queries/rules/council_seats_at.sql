-- name: council_seats_at
-- purpose: the seats of members of conseils citoyens in comités de pilotage in force at a date: begun by then, not ended by then, and recorded by then
-- params: as_of (date)
-- uses: none
-- wording: Un membre représente son conseil citoyen dans un comité « au » une date si sa représentation avait commencé, n'avait pas pris fin et était enregistrée à cette date.
create or replace macro council_seats_at(as_of) as table
select s.*
from citizen_council_seat as s
where s.from_on <= as_of
    and (s.until_on is null or s.until_on > as_of)
    and cast(s.recorded_at as date) <= as_of;
