-- Core model: parties, programmes, legal acts and clauses, the work tree,
-- committees, money, the append-only status and audit logs, provenance, accounts.
-- Status and progress never live in the item rows: they are status_event rows
-- (an UPDATE of a referenced row's indexed column fails in DuckDB, and history matters).

create sequence source_ref_id_seq;
create table source_ref (
    id integer primary key default nextval('source_ref_id_seq'),
    document varchar not null check (length(trim(document)) > 0),
    article varchar not null check (length(trim(article)) > 0),
    excerpt varchar not null check (length(excerpt) between 1 and 300)
);

create sequence organisation_id_seq;
create table organisation (
    id integer primary key default nextval('organisation_id_seq'),
    code varchar not null unique,
    name varchar not null check (length(trim(name)) > 0),
    kind varchar not null check (kind in ('local_authority', 'public_interest_group', 'state', 'other')),
    source_id integer references source_ref (id)
);

create sequence person_id_seq;
create table person (
    id integer primary key default nextval('person_id_seq'),
    full_name varchar not null check (length(trim(full_name)) > 0),
    organisation_id integer not null references organisation (id),
    role_title varchar not null,
    source_id integer references source_ref (id)
);

create sequence programme_id_seq;
create table programme (
    id integer primary key default nextval('programme_id_seq'),
    code varchar not null unique,
    title varchar not null check (length(trim(title)) > 0),
    kind varchar not null check (kind in ('evaluation', 'modernisation', 'other')),
    description varchar,
    source_id integer references source_ref (id),
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create table programme_link (
    from_programme_id integer not null references programme (id),
    to_programme_id integer not null references programme (id),
    kind varchar not null check (kind in ('feeds')),
    description varchar,
    source_id integer references source_ref (id),
    primary key (from_programme_id, to_programme_id, kind),
    check (from_programme_id <> to_programme_id)
);

create sequence programme_note_id_seq;
create table programme_note (
    id integer primary key default nextval('programme_note_id_seq'),
    programme_id integer not null references programme (id),
    kind varchar not null check (kind in ('finding', 'context')),
    position integer not null check (position >= 1),
    title varchar not null check (length(trim(title)) > 0),
    body varchar not null,
    source_id integer references source_ref (id)
);

create sequence legal_act_id_seq;
create table legal_act (
    id integer primary key default nextval('legal_act_id_seq'),
    programme_id integer not null references programme (id),
    kind varchar not null check (kind in ('agreement', 'amendment')),
    reference varchar,
    number integer check (number >= 1),
    title varchar not null check (length(trim(title)) > 0),
    concluded_on date,
    signed_on date,
    effective_rule varchar not null default 'unspecified'
        check (effective_rule in ('at_signature', 'fixed_date', 'unspecified')),
    effective_on date,
    ends_on date,
    deliberation_body varchar,
    deliberation_number varchar,
    deliberation_date date,
    -- no self-referencing FOREIGN KEY: DuckDB cannot EXPORT DATABASE such a table
    -- (backups); the acts service checks that the amended act exists.
    amends_act_id integer,
    source_id integer references source_ref (id),
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check (kind = 'amendment' or amends_act_id is null),
    check (ends_on is null or effective_on is null or effective_on <= ends_on),
    check (ends_on is null or signed_on is null or signed_on <= ends_on)
);

create table act_party (
    act_id integer not null references legal_act (id),
    organisation_id integer not null references organisation (id),
    represented_by integer references person (id),
    signatory_id integer references person (id),
    source_id integer references source_ref (id),
    primary key (act_id, organisation_id)
);

create sequence clause_id_seq;
create table clause (
    id integer primary key default nextval('clause_id_seq'),
    act_id integer not null references legal_act (id),
    kind varchar not null check (kind in (
        'object', 'financing', 'steering', 'duration', 'extension_by_amendment',
        'modification_by_amendment', 'amicable_settlement', 'termination_notice')),
    article varchar not null,
    days integer check (days >= 0),
    months integer check (months >= 0),
    summary varchar not null check (length(trim(summary)) > 0),
    source_id integer references source_ref (id)
);

create sequence phase_id_seq;
create table phase (
    id integer primary key default nextval('phase_id_seq'),
    programme_id integer not null references programme (id),
    number integer not null check (number >= 1),
    title varchar not null check (length(trim(title)) > 0),
    starts_on date,
    ends_on date,
    weight decimal(9, 2) not null default 1 check (weight > 0),
    lead varchar,
    territory varchar,
    source_id integer references source_ref (id),
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    unique (programme_id, number),
    check (starts_on is null or ends_on is null or starts_on <= ends_on)
);

create sequence orientation_id_seq;
create table orientation (
    id integer primary key default nextval('orientation_id_seq'),
    programme_id integer not null references programme (id),
    phase_id integer references phase (id),
    position integer not null check (position >= 1),
    title varchar not null check (length(trim(title)) > 0),
    starts_on date,
    ends_on date,
    weight decimal(9, 2) not null default 1 check (weight > 0),
    lead varchar,
    territory varchar,
    source_id integer references source_ref (id),
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check (starts_on is null or ends_on is null or starts_on <= ends_on)
);

create sequence action_id_seq;
create table action (
    id integer primary key default nextval('action_id_seq'),
    orientation_id integer not null references orientation (id),
    title varchar not null check (length(trim(title)) > 0),
    starts_on date,
    ends_on date,
    weight decimal(9, 2) not null default 1 check (weight > 0),
    lead varchar,
    territory varchar,
    source_id integer references source_ref (id),
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check (starts_on is null or ends_on is null or starts_on <= ends_on)
);

create sequence committee_id_seq;
create table committee (
    id integer primary key default nextval('committee_id_seq'),
    programme_id integer not null references programme (id),
    kind varchar not null check (kind in ('copil', 'cotech')),
    name varchar not null check (length(trim(name)) > 0),
    mandate varchar,
    source_id integer references source_ref (id),
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create sequence meeting_id_seq;
create table meeting (
    id integer primary key default nextval('meeting_id_seq'),
    committee_id integer not null references committee (id),
    held_on date not null,
    place varchar,
    attendees varchar,
    minutes varchar,
    source_id integer references source_ref (id),
    recorded_by varchar not null,
    recorded_at timestamp not null default current_timestamp
);

create sequence decision_id_seq;
create table decision (
    id integer primary key default nextval('decision_id_seq'),
    meeting_id integer not null references meeting (id),
    kind varchar not null check (kind in ('validates', 'adopts', 'presents', 'other')),
    text varchar not null check (length(trim(text)) > 0),
    source_id integer references source_ref (id),
    recorded_by varchar not null,
    recorded_at timestamp not null default current_timestamp
);

create table decision_item (
    decision_id integer not null references decision (id),
    item_kind varchar not null check (item_kind in ('phase', 'orientation', 'action')),
    item_id integer not null,
    primary key (decision_id, item_kind, item_id)
);

create sequence budget_line_id_seq;
create table budget_line (
    id integer primary key default nextval('budget_line_id_seq'),
    programme_id integer not null references programme (id),
    act_id integer references legal_act (id),
    clause_id integer references clause (id),
    fiscal_year integer not null check (fiscal_year between 2000 and 2100),
    amount decimal(14, 2) not null check (amount >= 0),
    tax_basis varchar not null check (tax_basis in ('HT', 'TTC', 'unspecified')),
    funder_id integer references organisation (id),
    recipient_id integer references organisation (id),
    label varchar,
    source_id integer references source_ref (id),
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create sequence payment_id_seq;
create table payment (
    id integer primary key default nextval('payment_id_seq'),
    budget_line_id integer not null references budget_line (id),
    stage varchar not null check (stage in ('commitment', 'payment_order', 'disbursement')),
    occurred_on date not null,
    amount decimal(14, 2) not null check (amount > 0),
    reference varchar,
    over_budget_reason varchar,
    recorded_by varchar not null,
    recorded_at timestamp not null default current_timestamp
);

create sequence status_event_id_seq;
create table status_event (
    id bigint primary key default nextval('status_event_id_seq'),
    item_kind varchar not null check (item_kind in ('phase', 'orientation', 'action')),
    item_id integer not null,
    occurred_on date not null,
    from_status varchar check (from_status in (
        'planned', 'in_progress', 'delivered', 'validated', 'blocked', 'cancelled')),
    to_status varchar not null check (to_status in (
        'planned', 'in_progress', 'delivered', 'validated', 'blocked', 'cancelled')),
    progress integer check (progress between 0 and 100),
    comment varchar,
    decision_id integer references decision (id),
    source_id integer references source_ref (id),
    actor varchar not null,
    recorded_at timestamp not null default current_timestamp
);

create sequence audit_log_id_seq;
create table audit_log (
    id bigint primary key default nextval('audit_log_id_seq'),
    occurred_at timestamp not null default current_timestamp,
    actor varchar not null,
    operation varchar not null check (operation in ('create', 'update', 'delete')),
    entity varchar not null,
    entity_id varchar not null,
    before json,
    after json,
    reason varchar
);

create sequence app_user_id_seq;
create table app_user (
    id integer primary key default nextval('app_user_id_seq'),
    login varchar not null unique check (regexp_full_match(login, '[a-z0-9._-]{2,64}')),
    display_name varchar not null check (length(trim(display_name)) > 0),
    role varchar not null check (role in ('lecteur', 'contributeur', 'administrateur')),
    password_hash varchar not null check (starts_with(password_hash, '$2')),
    active boolean not null default true,
    version integer not null default 1,
    created_at timestamp not null default current_timestamp,
    updated_at timestamp not null default current_timestamp
);

create table app_meta (
    key varchar primary key,
    value varchar not null
);
