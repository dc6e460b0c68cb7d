-- A budget line carries files (issue 24, part 4): the « compte rendu financier » of a
-- subsidy is attached to the line of the year it accounts for; the attachment table is
-- rebuilt for its wider check (DuckDB alters no CHECK in place), every row and id kept.

create table keep_attachment as select * from attachment;
drop table attachment;
create table attachment (
    id integer primary key default nextval('attachment_id_seq'),
    file_id integer not null references stored_file (id),
    entity varchar not null
        check (entity in ('deliverable', 'legal_act', 'meeting', 'budget_line')),
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
