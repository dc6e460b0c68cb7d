-- Territory contours for the maps (issue 23, part 4): the official contours uploaded by
-- the administrator (GeoJSON of the QPV as published by the ANCT for the 2015 and 2024
-- generations, commune contours), checked, kept with their source and vintage; the raw
-- file is kept content-addressed like attachments. The latest live set of a kind (and
-- generation) is the one the maps draw; an earlier one stays in the history.

create sequence contour_set_id_seq;
create table contour_set (
    id integer primary key default nextval('contour_set_id_seq'),
    kind varchar not null check (kind in ('qpv', 'commune')),
    generation integer check (generation is null or generation in (2015, 2024)),
    source_document varchar not null check (length(trim(source_document)) > 0),
    vintage varchar not null check (length(trim(vintage)) > 0),
    file_id integer not null references stored_file (id),
    file_name varchar not null,
    shapes integer not null check (shapes > 0),
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    check ((kind = 'qpv') = (generation is not null))
);

create sequence contour_id_seq;
create table contour (
    id integer primary key default nextval('contour_id_seq'),
    contour_set_id integer not null references contour_set (id),
    territory_id integer not null,
    geometry varchar not null
);
