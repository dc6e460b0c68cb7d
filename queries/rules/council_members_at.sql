-- name: council_members_at
-- purpose: the members of the conseils citoyens in force at a date: appointed by then, not gone by then, and recorded by then (a member recorded later is not known at that date)
-- params: as_of (date)
-- uses: none
-- wording: Un membre d'un conseil citoyen compte « au » une date s'il était désigné à cette date, que son mandat n'avait pas pris fin et que sa désignation était enregistrée.
create or replace macro council_members_at(as_of) as table
select m.*
from citizen_council_member as m
where m.appointed_on <= as_of
    and (m.ended_on is null or m.ended_on > as_of)
    and cast(m.created_at as date) <= as_of;
