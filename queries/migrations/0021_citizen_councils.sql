-- Conseils citoyens (issue 24, part 2; loi n° 2014-173 du 21 février 2014, art. 7): a
-- body of its own, attached to one or more QPV, its members in two collèges — habitants
-- (tirés au sort) and associations et acteurs locaux — with the dates of appointment,
-- renewal and end; the members who represent it in a comité de pilotage, from and until
-- a date; its opinions (on the rapport annuel or on any other matter) as dated documents,
-- their files attached. A view « au » a date counts a member appointed by then and not
-- yet gone. The attachment table is rebuilt for its wider check (as in 0016).

create sequence citizen_council_id_seq;
create table citizen_council (
    id integer primary key default nextval('citizen_council_id_seq'),
    name varchar not null check (length(trim(name)) > 0),
    established_on date,
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create table citizen_council_qpv (
    council_id integer not null references citizen_council (id),
    territory_id integer not null references territory (id),
    primary key (council_id, territory_id)
);

create sequence citizen_council_member_id_seq;
create table citizen_council_member (
    id integer primary key default nextval('citizen_council_member_id_seq'),
    council_id integer not null references citizen_council (id),
    full_name varchar not null check (length(trim(full_name)) > 0),
    college varchar not null check (college in ('residents', 'local_actors')),
    appointed_on date not null,
    renewed_on date,
    ended_on date,
    end_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check (renewed_on is null or renewed_on >= appointed_on),
    check (ended_on is null or ended_on >= appointed_on),
    check (ended_on is null or length(trim(coalesce(end_reason, ''))) > 0)
);

create sequence citizen_council_seat_id_seq;
create table citizen_council_seat (
    id integer primary key default nextval('citizen_council_seat_id_seq'),
    member_id integer not null references citizen_council_member (id),
    committee_id integer not null references committee (id),
    from_on date not null,
    until_on date,
    recorded_by varchar not null,
    recorded_at timestamp not null,
    check (until_on is null or until_on >= from_on)
);

create sequence citizen_council_opinion_id_seq;
create table citizen_council_opinion (
    id integer primary key default nextval('citizen_council_opinion_id_seq'),
    council_id integer not null references citizen_council (id),
    subject varchar not null check (length(trim(subject)) > 0),
    about varchar not null check (about in ('annual_report', 'other')),
    received_on date not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create table keep_attachment as select * from attachment;
drop table attachment;
create table attachment (
    id integer primary key default nextval('attachment_id_seq'),
    file_id integer not null references stored_file (id),
    entity varchar not null
        check (entity in ('deliverable', 'legal_act', 'meeting', 'budget_line',
                          'citizen_council_opinion')),
    entity_id integer not null,
    file_name varchar not null check (length(trim(file_name)) > 0),
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar
);
insert into attachment by name select * from keep_attachment;
drop table keep_attachment;
