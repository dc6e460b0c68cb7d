-- A living record: every kind of record can be created, corrected, archived or
-- cancelled, and avenants carry their effects.
--
-- DuckDB cannot change a CHECK constraint in place, nor alter a table that another
-- references in some ways: the tables whose constraints change, and those that
-- reference them, are rebuilt (rows copied aside, tables dropped and created anew,
-- rows copied back; sequences are kept, so ids go on). Unchanged: source_ref,
-- item_status, app_user, login_attempt, app_meta. audit_log is rebuilt for its new
-- operations (archive, restore, cancel, load).
--
-- What changes:
-- - new kinds: programmes (contrat de ville, accompagnement), acts (convention
--   d'objectifs et de moyens, arrêté, délibération, autre), clauses (base légale,
--   obligations, modalités de paiement, compte rendu, évaluation, autre),
--   organisations (association with its SIRET, bailleur), committees (commission,
--   conseil citoyen, autre), decisions ('approves': a gate, the launch of a phase
--   approved, not its delivery), programme links ('precedes': successor);
-- - archived_on / archive_reason on programmes, organisations, persons, the work tree
--   and committees: an archived record leaves the current views and stays in history
--   and in « état au » views before that date;
-- - cancelled_at / cancelled_by / cancel_reason on acts, clauses, meetings,
--   decisions, budget lines and payments: recorded by mistake, out of every view,
--   kept in the audit;
-- - a version (optimistic concurrency) on every editable table;
-- - avenants: legal_act.extends_to (the amended act's new term), clause.target_act_id
--   and clause.replaces_clause_id (terms added to or replaced in the amended act),
--   budget_line.supersedes_line_id (a year's amount changed);
-- - résiliation: legal_act.terminated_on; registered letters: act_letter (new table);
-- - budget lines: kind 'financial' or 'in_kind' (in-kind support has no amount);
-- - actions directly under a phase or a programme: action.programme_id, phase_id,
--   orientation_id (the latter two optional);
-- - decision_item may name a deliverable (the evaluation's, see a later migration).

drop macro table status_at;
drop macro effective_progress;
drop view work_item;

create temp table keep_organisation as select * from organisation;
create temp table keep_person as select * from person;
create temp table keep_programme as select * from programme;
create temp table keep_programme_link as select * from programme_link;
create temp table keep_programme_note as select * from programme_note;
create temp table keep_legal_act as select * from legal_act;
create temp table keep_act_party as select * from act_party;
create temp table keep_clause as select * from clause;
create temp table keep_phase as select * from phase;
create temp table keep_orientation as select * from orientation;
create temp table keep_action as select * from action;
create temp table keep_committee as select * from committee;
create temp table keep_meeting as select * from meeting;
create temp table keep_decision as select * from decision;
create temp table keep_decision_item as select * from decision_item;
create temp table keep_budget_line as select * from budget_line;
create temp table keep_payment as select * from payment;
create temp table keep_status_event as select * from status_event;
create temp table keep_audit_log as select * from audit_log;

drop table audit_log;
drop table status_event;
drop table payment;
drop table budget_line;
drop table decision_item;
drop table decision;
drop table meeting;
drop table committee;
drop table action;
drop table orientation;
drop table phase;
drop table clause;
drop table act_party;
drop table legal_act;
drop table programme_note;
drop table programme_link;
drop table programme;
drop table person;
drop table organisation;

create table organisation (
    id integer primary key default nextval('organisation_id_seq'),
    code varchar not null unique,
    name varchar not null check (length(trim(name)) > 0),
    kind varchar not null check (kind in (
        'local_authority', 'public_interest_group', 'state', 'association',
        'housing_provider', 'other')),
    siret varchar check (siret is null or regexp_full_match(siret, '[0-9]{14}')),
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create table person (
    id integer primary key default nextval('person_id_seq'),
    full_name varchar not null check (length(trim(full_name)) > 0),
    organisation_id integer not null references organisation (id),
    role_title varchar not null,
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create table programme (
    id integer primary key default nextval('programme_id_seq'),
    code varchar not null unique,
    title varchar not null check (length(trim(title)) > 0),
    kind varchar not null check (kind in (
        'evaluation', 'modernisation', 'city_contract', 'support', 'other')),
    description varchar,
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create table programme_link (
    from_programme_id integer not null references programme (id),
    to_programme_id integer not null references programme (id),
    kind varchar not null check (kind in ('feeds', 'precedes')),
    description varchar,
    source_id integer references source_ref (id),
    primary key (from_programme_id, to_programme_id, kind),
    check (from_programme_id <> to_programme_id)
);

create table programme_note (
    id integer primary key default nextval('programme_note_id_seq'),
    programme_id integer not null references programme (id),
    kind varchar not null check (kind in ('finding', 'context')),
    position integer not null check (position >= 1),
    title varchar not null check (length(trim(title)) > 0),
    body varchar not null,
    source_id integer references source_ref (id)
);

create table legal_act (
    id integer primary key default nextval('legal_act_id_seq'),
    programme_id integer not null references programme (id),
    kind varchar not null check (kind in (
        'agreement', 'amendment', 'cpo', 'order', 'deliberation', 'other')),
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
    -- no self-referencing FOREIGN KEY (see 0001): the acts service checks these two
    amends_act_id integer,
    extends_to date,
    terminated_on date,
    termination_reason varchar,
    source_id integer references source_ref (id),
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check (kind = 'amendment' or amends_act_id is null),
    check (kind = 'amendment' or extends_to is null),
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

create table clause (
    id integer primary key default nextval('clause_id_seq'),
    act_id integer not null references legal_act (id),
    target_act_id integer references legal_act (id),
    replaces_clause_id integer,
    kind varchar not null check (kind in (
        'object', 'financing', 'steering', 'duration', 'extension_by_amendment',
        'modification_by_amendment', 'amicable_settlement', 'termination_notice',
        'legal_basis', 'obligations', 'payment_terms', 'reporting', 'evaluation', 'other')),
    article varchar not null,
    days integer check (days >= 0),
    months integer check (months >= 0),
    summary varchar not null check (length(trim(summary)) > 0),
    source_id integer references source_ref (id),
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

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
    archived_on date,
    archive_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    unique (programme_id, number),
    check (starts_on is null or ends_on is null or starts_on <= ends_on)
);

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
    archived_on date,
    archive_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check (starts_on is null or ends_on is null or starts_on <= ends_on)
);

create table action (
    id integer primary key default nextval('action_id_seq'),
    programme_id integer not null references programme (id),
    phase_id integer references phase (id),
    orientation_id integer references orientation (id),
    title varchar not null check (length(trim(title)) > 0),
    starts_on date,
    ends_on date,
    weight decimal(9, 2) not null default 1 check (weight > 0),
    lead varchar,
    territory varchar,
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check (starts_on is null or ends_on is null or starts_on <= ends_on)
);

create table committee (
    id integer primary key default nextval('committee_id_seq'),
    programme_id integer not null references programme (id),
    kind varchar not null check (kind in (
        'copil', 'cotech', 'commission', 'citizens_council', 'other')),
    name varchar not null check (length(trim(name)) > 0),
    mandate varchar,
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create table meeting (
    id integer primary key default nextval('meeting_id_seq'),
    committee_id integer not null references committee (id),
    held_on date not null,
    place varchar,
    attendees varchar,
    minutes varchar,
    source_id integer references source_ref (id),
    recorded_by varchar not null,
    recorded_at timestamp not null default current_timestamp,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create table decision (
    id integer primary key default nextval('decision_id_seq'),
    meeting_id integer not null references meeting (id),
    kind varchar not null check (kind in ('validates', 'approves', 'adopts', 'presents', 'other')),
    text varchar not null check (length(trim(text)) > 0),
    source_id integer references source_ref (id),
    recorded_by varchar not null,
    recorded_at timestamp not null default current_timestamp,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

create table decision_item (
    decision_id integer not null references decision (id),
    item_kind varchar not null check (item_kind in ('phase', 'orientation', 'action', 'deliverable')),
    item_id integer not null,
    primary key (decision_id, item_kind, item_id)
);

create table budget_line (
    id integer primary key default nextval('budget_line_id_seq'),
    programme_id integer not null references programme (id),
    act_id integer references legal_act (id),
    clause_id integer references clause (id),
    fiscal_year integer not null check (fiscal_year between 2000 and 2100),
    kind varchar not null default 'financial' check (kind in ('financial', 'in_kind')),
    amount decimal(14, 2) check (amount >= 0),
    tax_basis varchar not null check (tax_basis in ('HT', 'TTC', 'unspecified')),
    funder_id integer references organisation (id),
    recipient_id integer references organisation (id),
    label varchar,
    description varchar,
    -- no self-referencing FOREIGN KEY: the budget service checks it
    supersedes_line_id integer,
    source_id integer references source_ref (id),
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    check (kind = 'in_kind' or amount is not null),
    check (kind = 'financial' or amount is null)
);

create table payment (
    id integer primary key default nextval('payment_id_seq'),
    budget_line_id integer not null references budget_line (id),
    stage varchar not null check (stage in ('commitment', 'payment_order', 'disbursement')),
    occurred_on date not null,
    amount decimal(14, 2) not null check (amount > 0),
    reference varchar,
    over_budget_reason varchar,
    recorded_by varchar not null,
    recorded_at timestamp not null default current_timestamp,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null
);

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

create table audit_log (
    id bigint primary key default nextval('audit_log_id_seq'),
    occurred_at timestamp not null default current_timestamp,
    actor varchar not null,
    operation varchar not null check (operation in (
        'create', 'update', 'delete', 'archive', 'restore', 'cancel', 'load')),
    entity varchar not null,
    entity_id varchar not null,
    before json,
    after json,
    reason varchar
);

create sequence act_letter_id_seq;
create table act_letter (
    id integer primary key default nextval('act_letter_id_seq'),
    act_id integer not null references legal_act (id),
    kind varchar not null check (kind in ('dispute', 'termination')),
    sent_on date not null,
    received_on date,
    sender_id integer references organisation (id),
    subject varchar not null check (length(trim(subject)) > 0),
    source_id integer references source_ref (id),
    recorded_by varchar not null,
    recorded_at timestamp not null default current_timestamp,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    check (received_on is null or received_on >= sent_on)
);

insert into organisation (id, code, name, kind, source_id, updated_by)
select id, code, name, kind, source_id, 'reprise 0006' from keep_organisation;
insert into person (id, full_name, organisation_id, role_title, source_id, updated_by)
select id, full_name, organisation_id, role_title, source_id, 'reprise 0006' from keep_person;
insert into programme (
    id, code, title, kind, description, source_id, created_at, version, updated_at, updated_by)
select
    p.id, p.code, p.title, p.kind, p.description, p.source_id,
    coalesce(c.created_at, p.updated_at), p.version, p.updated_at, p.updated_by
from keep_programme as p
left join (
    select entity_id, min(occurred_at) as created_at from keep_audit_log
    where entity = 'programme' and operation = 'create' group by entity_id
) as c on c.entity_id = cast(p.id as varchar);
insert into programme_link select * from keep_programme_link;
insert into programme_note select * from keep_programme_note;
insert into legal_act (
    id, programme_id, kind, reference, number, title, concluded_on, signed_on,
    effective_rule, effective_on, ends_on, deliberation_body, deliberation_number,
    deliberation_date, amends_act_id, source_id, created_at, version, updated_at, updated_by)
select
    a.id, a.programme_id, a.kind, a.reference, a.number, a.title, a.concluded_on,
    a.signed_on, a.effective_rule, a.effective_on, a.ends_on, a.deliberation_body,
    a.deliberation_number, a.deliberation_date, a.amends_act_id, a.source_id,
    coalesce(c.created_at, a.updated_at), a.version, a.updated_at, a.updated_by
from keep_legal_act as a
left join (
    select entity_id, min(occurred_at) as created_at from keep_audit_log
    where entity = 'legal_act' and operation = 'create' group by entity_id
) as c on c.entity_id = cast(a.id as varchar);
insert into act_party select * from keep_act_party;
insert into clause (id, act_id, kind, article, days, months, summary, source_id, updated_by)
select id, act_id, kind, article, days, months, summary, source_id, 'reprise 0006'
from keep_clause;
insert into phase (
    id, programme_id, number, title, starts_on, ends_on, weight, lead, territory,
    source_id, version, updated_at, updated_by)
select
    id, programme_id, number, title, starts_on, ends_on, weight, lead, territory,
    source_id, version, updated_at, updated_by
from keep_phase;
insert into orientation (
    id, programme_id, phase_id, position, title, starts_on, ends_on, weight, lead,
    territory, source_id, version, updated_at, updated_by)
select
    id, programme_id, phase_id, position, title, starts_on, ends_on, weight, lead,
    territory, source_id, version, updated_at, updated_by
from keep_orientation;
insert into action (
    id, programme_id, phase_id, orientation_id, title, starts_on, ends_on, weight, lead,
    territory, source_id, version, updated_at, updated_by)
select
    a.id, o.programme_id, o.phase_id, a.orientation_id, a.title, a.starts_on, a.ends_on,
    a.weight, a.lead, a.territory, a.source_id, a.version, a.updated_at, a.updated_by
from keep_action as a
join keep_orientation as o on o.id = a.orientation_id;
insert into committee (
    id, programme_id, kind, name, mandate, source_id, version, updated_at, updated_by)
select id, programme_id, kind, name, mandate, source_id, version, updated_at, updated_by
from keep_committee;
insert into meeting (
    id, committee_id, held_on, place, attendees, minutes, source_id, recorded_by,
    recorded_at, updated_at, updated_by)
select
    id, committee_id, held_on, place, attendees, minutes, source_id, recorded_by,
    recorded_at, recorded_at, recorded_by
from keep_meeting;
insert into decision (
    id, meeting_id, kind, text, source_id, recorded_by, recorded_at, updated_at, updated_by)
select id, meeting_id, kind, text, source_id, recorded_by, recorded_at, recorded_at, recorded_by
from keep_decision;
insert into decision_item select * from keep_decision_item;
insert into budget_line (
    id, programme_id, act_id, clause_id, fiscal_year, amount, tax_basis, funder_id,
    recipient_id, label, source_id, version, updated_at, updated_by)
select
    id, programme_id, act_id, clause_id, fiscal_year, amount, tax_basis, funder_id,
    recipient_id, label, source_id, version, updated_at, updated_by
from keep_budget_line;
insert into payment (
    id, budget_line_id, stage, occurred_on, amount, reference, over_budget_reason,
    recorded_by, recorded_at, updated_at, updated_by)
select
    id, budget_line_id, stage, occurred_on, amount, reference, over_budget_reason,
    recorded_by, recorded_at, recorded_at, recorded_by
from keep_payment;
insert into status_event select * from keep_status_event;
insert into audit_log select * from keep_audit_log;

drop table keep_audit_log;
drop table keep_status_event;
drop table keep_payment;
drop table keep_budget_line;
drop table keep_decision_item;
drop table keep_decision;
drop table keep_meeting;
drop table keep_committee;
drop table keep_action;
drop table keep_orientation;
drop table keep_phase;
drop table keep_clause;
drop table keep_act_party;
drop table keep_legal_act;
drop table keep_programme_note;
drop table keep_programme_link;
drop table keep_programme;
drop table keep_person;
drop table keep_organisation;

-- The work tree as one relation. Actions carry their programme (and, when they have
-- them, their phase and orientation); archived_on says from when an item left the
-- current views.
create view work_item as
select
    'phase' as item_kind,
    ph.id as item_id,
    ph.programme_id,
    ph.id as phase_id,
    cast(null as integer) as orientation_id,
    ph.number as position,
    ph.title,
    ph.starts_on,
    ph.ends_on,
    ph.weight,
    ph.lead,
    ph.territory,
    ph.source_id,
    ph.archived_on,
    ph.version
from phase as ph
union all
select
    'orientation',
    o.id,
    o.programme_id,
    o.phase_id,
    o.id,
    o.position,
    o.title,
    o.starts_on,
    o.ends_on,
    o.weight,
    o.lead,
    o.territory,
    o.source_id,
    o.archived_on,
    o.version
from orientation as o
union all
select
    'action',
    a.id,
    a.programme_id,
    coalesce(a.phase_id, o.phase_id),
    a.orientation_id,
    -- actions have no stored position: they are listed in creation order (item_id)
    cast(null as integer),
    a.title,
    a.starts_on,
    a.ends_on,
    a.weight,
    a.lead,
    a.territory,
    a.source_id,
    a.archived_on,
    a.version
from action as a
left join orientation as o on o.id = a.orientation_id;

-- How far an item is, reading its status too: delivered or validated count as 100,
-- planned as 0 unless stated, cancelled not at all; otherwise the last stated progress.
create macro effective_progress(status, progress) as
    case
        when status in ('delivered', 'validated') then 100
        when status = 'planned' then coalesce(progress, 0)
        when status = 'cancelled' then null
        else progress
    end;

-- Same contract as in 0003: the status of every item as of a date (item_status when
-- the date is on or after the latest recorded event, else the log up to that day).
create macro status_at(as_of) as table
with horizon as (
    select coalesce(max(occurred_on), date '1900-01-01') as last_on from status_event
),

current_rows as (
    select item_kind, item_id, status, progress
    from item_status
    where as_of >= (select last_on from horizon)
),

past_rows as (
    select item_kind, item_id, arg_max(to_status, id) as status, arg_max(progress, id) as progress
    from status_event
    where occurred_on <= as_of and as_of < (select last_on from horizon)
    group by item_kind, item_id
),

final as (
    select * from current_rows
    union all
    select * from past_rows
)

select
    item_kind,
    item_id,
    status,
    progress,
    effective_progress(status, progress) as effective_progress
from final;

-- When an act starts being in force, one rule for every « état au » read: its
-- effective date, else its conclusion, else its signature date; when none is known,
-- 1 January of the first fiscal year it finances (« estimated »); failing that, the
-- day it was recorded (« recorded »). Cancelled acts are in no view.
create view act_start as
select
    a.id as act_id,
    coalesce(
        a.effective_on,
        a.concluded_on,
        a.signed_on,
        (select make_date(min(b.fiscal_year), 1, 1) from budget_line as b
         where b.act_id = a.id and b.cancelled_at is null),
        cast(a.created_at as date)) as starts_on,
    case
        when a.effective_on is not null then 'effective'
        when a.concluded_on is not null then 'concluded'
        when a.signed_on is not null then 'signed'
        when exists (select 1 from budget_line as b where b.act_id = a.id and b.cancelled_at is null)
            then 'estimated'
        else 'recorded'
    end as start_basis
from legal_act as a
where a.cancelled_at is null;

-- The acts in force at a date, each with its term as in force then: the latest
-- extension by an avenant already in force, else its own term.
create macro acts_in_force(as_of) as table
with started as (
    select a.*, s.starts_on, s.start_basis
    from legal_act as a
    join act_start as s on s.act_id = a.id
    where s.starts_on <= as_of
),

-- an extension counts if the avenant starts before the term it extends: the amended
-- act's own, or one an earlier extension gave it (an ended act cannot be prolonged)
extensions as (
    select s.*
    from started as s
    join legal_act as am on am.id = s.amends_act_id
    where s.extends_to is not null
        and (am.ends_on is null or s.starts_on <= am.ends_on or exists (
            select 1 from started as e
            where e.amends_act_id = s.amends_act_id and e.extends_to is not null
                and e.starts_on < s.starts_on and s.starts_on <= e.extends_to))
),

extended as (
    select
        amends_act_id as act_id,
        arg_max(extends_to, starts_on) as extended_term_on,
        arg_max(id, starts_on) as extended_by
    from extensions
    group by amends_act_id
)

select
    s.*,
    -- a résiliation ends the act early (least() leaves NULLs aside)
    least(coalesce(e.extended_term_on, s.ends_on), s.terminated_on) as term_on,
    e.extended_by
from started as s
left join extended as e on e.act_id = s.id;

-- When a budget line counts: from its act's effective (else conclusion, else
-- signature) date, else from 1 January of its fiscal year (start_basis says which);
-- a line superseded by another (an avenant changing a year's amount) stops counting
-- when that one starts.
create view budget_line_start as
select
    b.id as budget_line_id,
    coalesce(a.effective_on, a.concluded_on, a.signed_on, make_date(b.fiscal_year, 1, 1))
        as starts_on,
    case
        when a.effective_on is not null then 'effective'
        when a.concluded_on is not null then 'concluded'
        when a.signed_on is not null then 'signed'
        else 'fiscal_year'
    end as start_basis
from budget_line as b
left join legal_act as a on a.id = b.act_id
where b.cancelled_at is null;

create macro budget_lines_in_force(as_of) as table
with started as (
    select b.*, s.starts_on, s.start_basis
    from budget_line as b
    join budget_line_start as s on s.budget_line_id = b.id
    where s.starts_on <= as_of
)

select *
from started as s
where not exists (
    select 1 from started as newer where newer.supersedes_line_id = s.id
);

-- When a programme is there: from its first act's start, else from the day it was
-- recorded.
create view programme_start as
select
    pr.id as programme_id,
    coalesce(min(s.starts_on), cast(pr.created_at as date)) as starts_on
from programme as pr
left join legal_act as a on a.programme_id = pr.id and a.cancelled_at is null
left join act_start as s on s.act_id = a.id
group by pr.id, pr.created_at;
