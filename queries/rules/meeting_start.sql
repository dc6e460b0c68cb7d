-- name: meeting_start
-- purpose: from when each meeting (and so its decisions) is known: from the start of the act that makes it known when only an act does, else from the day it was held or, for a meeting planned ahead, the day it was recorded
-- params: none
-- uses: record_start
-- wording: Une réunion connue seulement par un acte n'apparaît qu'à partir de la prise d'effet de cet acte ; une réunion prévue n'apparaît comme « prochaine réunion » qu'à partir du jour où elle a été enregistrée.
create or replace view meeting_start as
select
    m.id as meeting_id,
    case
        when r.basis = 'act' then r.starts_on
        else least(m.held_on, cast(m.recorded_at as date))
    end as known_from,
    coalesce(r.basis, 'recorded') as basis
from meeting as m
left join record_start as r on r.entity = 'meeting' and r.entity_id = m.id
where m.cancelled_at is null;
