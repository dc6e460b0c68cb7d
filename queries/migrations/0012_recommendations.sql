-- Recommendations (issue 23, part 2): each stems from an evaluative question, has an
-- owner (an organisation or a person) and a due date, and a status recorded as events,
-- like the work tree's: « proposée », « retenue » (by a committee decision), « en cours »,
-- « mise en œuvre » (with its evidence), « abandonnée » (with the reason). A view « au »
-- a date reads the events dated by then and recorded by then. The question, the owner
-- and the decision are checked by the services (no foreign keys: they may be corrected).

create sequence recommendation_id_seq;
create table recommendation (
    id integer primary key default nextval('recommendation_id_seq'),
    programme_id integer not null references programme (id),
    question_id integer not null,
    text varchar not null check (length(trim(text)) > 0),
    owner_organisation_id integer,
    owner_person_id integer,
    due_on date not null,
    source_id integer references source_ref (id),
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check (owner_organisation_id is not null or owner_person_id is not null)
);

create sequence recommendation_event_id_seq;
create table recommendation_event (
    id integer primary key default nextval('recommendation_event_id_seq'),
    recommendation_id integer not null references recommendation (id),
    status varchar not null
        check (status in ('proposed', 'adopted', 'in_progress', 'implemented', 'abandoned')),
    occurred_on date not null,
    decision_id integer,
    evidence varchar,
    reason varchar,
    recorded_by varchar not null,
    recorded_at timestamp not null,
    check (status <> 'adopted' or decision_id is not null),
    check (status <> 'implemented' or length(trim(coalesce(evidence, ''))) > 0),
    check (status <> 'abandoned' or length(trim(coalesce(reason, ''))) > 0)
);
