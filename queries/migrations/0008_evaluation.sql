-- The evaluation itself: territories, the référentiel (questions, criteria,
-- indicators with baseline, targets and values per period and territory),
-- deliverables and the files attached to records.
--
-- DuckDB turns an UPDATE of an indexed column of a referenced row into a delete +
-- insert, which fails: what a user may change later (an indicator's criterion, a
-- deliverable's phase, a territory's successor) is kept out of FOREIGN KEYs and
-- checked by the write services; links that come and go are rows of their own
-- (territory_link, territory_tag, attachment, question_evidence), cancelled, never
-- deleted.
--
-- Territories are entered by the administrator or loaded from a CSV of the official
-- lists: nothing here is seeded. A QPV has a generation (2015 or 2024); it lies in
-- one or more communes ('within' links), a commune in a Conseil de Territoire, a
-- Conseil de Territoire in the Métropole; a QPV of 2015 may be 'succeeded_by' one
-- of 2024.

create sequence territory_id_seq;
create table territory (
    id integer primary key default nextval('territory_id_seq'),
    kind varchar not null check (kind in ('metropole', 'council', 'commune', 'qpv')),
    code varchar not null check (length(trim(code)) > 0),
    name varchar not null check (length(trim(name)) > 0),
    generation integer check (generation is null or generation in (2015, 2024)),
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    unique (kind, code),
    check ((kind = 'qpv') = (generation is not null))
);

create sequence territory_link_id_seq;
create table territory_link (
    id integer primary key default nextval('territory_link_id_seq'),
    from_id integer not null,
    to_id integer not null,
    kind varchar not null check (kind in ('within', 'succeeded_by')),
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    check (from_id <> to_id)
);

-- actions, deliverables and budget lines tagged with territories
create sequence territory_tag_id_seq;
create table territory_tag (
    id integer primary key default nextval('territory_tag_id_seq'),
    entity varchar not null check (entity in ('action', 'deliverable', 'budget_line')),
    entity_id integer not null,
    territory_id integer not null,
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar
);

create sequence eval_question_id_seq;
create table eval_question (
    id integer primary key default nextval('eval_question_id_seq'),
    programme_id integer not null references programme (id),
    position integer not null check (position >= 1),
    text varchar not null check (length(trim(text)) > 0),
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

-- the "état de la réponse" of a question, append-only like status_event: its state at a
-- date is its latest event recorded by then; no event: non commencée
create sequence question_state_event_id_seq;
create table question_state_event (
    id integer primary key default nextval('question_state_event_id_seq'),
    question_id integer not null references eval_question (id),
    answer_state varchar not null check (answer_state in ('not_started', 'in_progress', 'answered')),
    answer varchar,
    recorded_by varchar not null,
    recorded_at timestamp not null
);

create sequence eval_criterion_id_seq;
create table eval_criterion (
    id integer primary key default nextval('eval_criterion_id_seq'),
    question_id integer not null references eval_question (id),
    position integer not null check (position >= 1),
    text varchar not null check (length(trim(text)) > 0),
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

-- unit_kind says how values roll up: counts and amounts add up from QPV to commune
-- to Conseil de Territoire to Métropole; rates and others never do.
create sequence indicator_id_seq;
create table indicator (
    id integer primary key default nextval('indicator_id_seq'),
    programme_id integer not null references programme (id),
    code varchar not null check (length(trim(code)) > 0),
    name varchar not null check (length(trim(name)) > 0),
    criterion_id integer,
    orientation_id integer,
    action_id integer,
    unit varchar not null check (length(trim(unit)) > 0),
    unit_kind varchar not null check (unit_kind in ('count', 'amount', 'rate', 'other')),
    direction varchar not null check (direction in ('up', 'down')),
    periodicity varchar not null check (periodicity in ('year', 'semester', 'quarter')),
    baseline_value decimal(18, 4),
    baseline_on date,
    baseline_source varchar,
    description varchar,
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    unique (programme_id, code)
);

-- targets per period, for the whole programme (territory_id null) or one territory
create sequence indicator_target_id_seq;
create table indicator_target (
    id integer primary key default nextval('indicator_target_id_seq'),
    indicator_id integer not null references indicator (id),
    period_start date not null,
    territory_id integer,
    value decimal(18, 4) not null,
    source_document varchar,
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

-- measured values: one per indicator, period and territory (null: the programme as a
-- whole); the source is a document and page, or, when both are empty, the entry by
-- recorded_by. A correction keeps the row (version > 1) and is in the audit.
create sequence indicator_value_id_seq;
create table indicator_value (
    id integer primary key default nextval('indicator_value_id_seq'),
    indicator_id integer not null references indicator (id),
    period_start date not null,
    territory_id integer,
    value decimal(18, 4) not null,
    source_document varchar,
    source_page varchar,
    comment varchar,
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);
create index indicator_value_by_indicator on indicator_value (indicator_id, period_start);

-- a deliverable's status: 'prévu' until delivered_on, 'remis' from then, 'validé' when
-- a recorded decision validates it (decision_item with item_kind 'deliverable')
create sequence deliverable_id_seq;
create table deliverable (
    id integer primary key default nextval('deliverable_id_seq'),
    programme_id integer not null references programme (id),
    phase_id integer,
    orientation_id integer,
    action_id integer,
    kind varchar not null check (kind in ('report', 'note', 'workshop', 'presentation', 'other')),
    title varchar not null check (length(trim(title)) > 0),
    planned_on date,
    delivered_on date,
    description varchar,
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

-- evidence behind a question's answer: indicators and deliverables
create sequence question_evidence_id_seq;
create table question_evidence (
    id integer primary key default nextval('question_evidence_id_seq'),
    question_id integer not null references eval_question (id),
    evidence_kind varchar not null check (evidence_kind in ('indicator', 'deliverable')),
    evidence_id integer not null,
    note varchar,
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar
);

-- files: content-addressed, stored next to the database (files/ab/abcdef…); the
-- database keeps their hash, size and type
create sequence stored_file_id_seq;
create table stored_file (
    id integer primary key default nextval('stored_file_id_seq'),
    sha256 varchar not null unique check (regexp_full_match(sha256, '[0-9a-f]{64}')),
    size_bytes bigint not null check (size_bytes > 0),
    media_type varchar not null,
    stored_by varchar not null,
    stored_at timestamp not null
);

create sequence attachment_id_seq;
create table attachment (
    id integer primary key default nextval('attachment_id_seq'),
    file_id integer not null references stored_file (id),
    entity varchar not null check (entity in ('deliverable', 'legal_act', 'meeting')),
    entity_id integer not null,
    file_name varchar not null check (length(trim(file_name)) > 0),
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar
);

-- the records of one kind (action, deliverable, budget_line) tagged with a territory or
-- with a territory within it (a QPV of a commune, a commune of a Conseil de Territoire)
create macro tagged_in(entity_kind, chosen_territory) as table
    with recursive scope(id) as (
        select chosen_territory
        union
        select l.from_id
        from territory_link as l
        join scope as s on l.to_id = s.id
        where l.kind = 'within' and l.cancelled_at is null
    )
    select distinct g.entity_id
    from territory_tag as g
    where g.entity = entity_kind and g.cancelled_at is null
        and g.territory_id in (select id from scope);

-- the last day of an indicator's period: a measured value counts from that day on
create macro period_end(period_start, periodicity) as
    cast(period_start + case periodicity when 'year' then interval 12 month
        when 'semester' then interval 6 month else interval 3 month end
        - interval 1 day as date);
