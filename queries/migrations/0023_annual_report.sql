-- The rapport annuel politique de la ville (issue 24, part 1; CGCT art. L. 1111-2,
-- décret n° 2015-1118 du 3 septembre 2015): for a contrat de ville and the year past,
-- the report and its process, dated. The draft is sent for an opinion to each municipal
-- council and conseil citoyen (and, if so, another signatory) on a day; each has at
-- least one month to answer (delay_months, one by default) — silence at the deadline
-- counts as a favourable opinion; the opinions received are attached and annexed; the
-- community council approves the report by a deliberation that says what follow-up it
-- gives to the opinions; the final report is published. The planned dates of the
-- deliberation and of the publication are deadlines, late when passed without it.
-- The attachment table is rebuilt for its wider check (as in 0016 and 0021).

create sequence annual_report_id_seq;
create table annual_report (
    id integer primary key default nextval('annual_report_id_seq'),
    programme_id integer not null references programme (id),
    year integer not null check (year between 2000 and 2100),
    outlook varchar,
    planned_approval_on date,
    approved_on date,
    deliberation_body varchar,
    deliberation_number varchar,
    follow_up varchar,
    planned_publication_on date,
    published_on date,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check (approved_on is null or length(trim(coalesce(follow_up, ''))) > 0),
    check (published_on is null or (approved_on is not null and published_on >= approved_on))
);

create sequence annual_report_consultation_id_seq;
create table annual_report_consultation (
    id integer primary key default nextval('annual_report_consultation_id_seq'),
    report_id integer not null references annual_report (id),
    consulted varchar not null
        check (consulted in ('municipal_council', 'citizen_council', 'other_party')),
    organisation_id integer references organisation (id),
    council_id integer references citizen_council (id),
    sent_on date not null,
    delay_months integer not null default 1 check (delay_months >= 1),
    answered_on date,
    opinion varchar check (opinion in ('favourable', 'reserved', 'unfavourable')),
    summary varchar,
    council_opinion_id integer references citizen_council_opinion (id),
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check ((consulted = 'citizen_council') = (council_id is not null)),
    check ((consulted = 'citizen_council') or organisation_id is not null),
    check ((answered_on is null) = (opinion is null)),
    check (answered_on is null or answered_on >= sent_on)
);

create table keep_attachment as select * from attachment;
drop table attachment;
create table attachment (
    id integer primary key default nextval('attachment_id_seq'),
    file_id integer not null references stored_file (id),
    entity varchar not null
        check (entity in ('deliverable', 'legal_act', 'meeting', 'budget_line',
                          'citizen_council_opinion', 'annual_report',
                          'annual_report_consultation')),
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
