-- The validated evaluation reports (issue 23, part 3): when a committee decision
-- validates the report of a programme « au » a date, its DOCX and PDF are generated
-- without « Projet », kept as content-addressed files (like attachments) and recorded
-- here, so that the validated version can be downloaded later exactly as it was.

create sequence evaluation_report_id_seq;
create table evaluation_report (
    id integer primary key default nextval('evaluation_report_id_seq'),
    programme_id integer not null references programme (id),
    as_of date not null,
    decision_id integer not null,
    validated_on date not null,
    docx_file_id integer not null references stored_file (id),
    pdf_file_id integer not null references stored_file (id),
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar
);
