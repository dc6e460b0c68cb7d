-- Existence is a fact with a date (issue 21). Where a record comes from and so from
-- when it exists in the « état au » views: the act that creates it (with its article),
-- the decision that creates it, a date given by the person who recorded it (with the
-- reason, audited), else the day it was recorded. One row per record of the kinds
-- that have no date of their own (the work tree, committees, the référentiel,
-- deliverables); for a meeting or a decision, a row only when an act is what makes it
-- known (it is then known from that act's start, not from the day it was held).
-- The rules that read it (record_start, work_item, chosen_items …) are in
-- queries/rules/, re-created after every migration.

create table record_origin (
    entity varchar not null,
    entity_id integer not null,
    act_id integer,
    article varchar,
    decision_id integer,
    stated_on date,
    reason varchar,
    recorded_on date not null,
    primary key (entity, entity_id),
    check (stated_on is null or length(trim(coalesce(reason, ''))) > 0),
    check (article is null or act_id is not null)
);

-- A short name a person gives an act or a programme (« nom court saisi »): without it,
-- an act is named by its kind, number and reference, else by its own title cut at a word.
alter table legal_act add column short_name varchar;
alter table programme add column short_name varchar;

-- An association's number in the Répertoire national des associations (« W » and nine
-- digits), beside its SIRET: real conventions give one, the other or both.
alter table organisation add column rna varchar;

-- The act that frames another (a contrat de ville and the conventions it frames): checked
-- by the services (no foreign key of a table on itself).
alter table legal_act add column framework_act_id integer;

-- The « axes » or « piliers » of a contrat de ville that an action carries (« Cohésion
-- sociale », « Cadre de vie et renouvellement urbain »…), as the act names them.
create sequence action_axis_id_seq;
create table action_axis (
    id integer primary key default nextval('action_axis_id_seq'),
    action_id integer not null,
    axis varchar not null check (length(trim(axis)) > 0),
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar
);

-- An item's weight is dated too: a new weight counts from the day it is recorded, so
-- that the weighted progress of a past date does not move. One row per change.
create table weight_change (
    item_kind varchar not null check (item_kind in ('phase', 'orientation', 'action')),
    item_id integer not null,
    valid_from date not null,
    from_weight decimal(9, 2) not null,
    weight decimal(9, 2) not null,
    recorded_at timestamp not null
);

-- What was recorded before this migration counts from the day it was recorded (its
-- first audit row, else its creation or last change): nothing says otherwise.
create temp table first_recorded as
select entity, try_cast(entity_id as integer) as entity_id, cast(min(occurred_at) as date) as on_day
from audit_log
where operation in ('create', 'load')
group by entity, try_cast(entity_id as integer);

insert into record_origin (entity, entity_id, recorded_on)
select 'phase', t.id, coalesce(f.on_day, cast(t.updated_at as date))
from phase as t left join first_recorded as f on f.entity = 'phase' and f.entity_id = t.id
union all
select 'orientation', t.id, coalesce(f.on_day, cast(t.updated_at as date))
from orientation as t left join first_recorded as f on f.entity = 'orientation' and f.entity_id = t.id
union all
select 'action', t.id, coalesce(f.on_day, cast(t.updated_at as date))
from action as t left join first_recorded as f on f.entity = 'action' and f.entity_id = t.id
union all
select 'committee', t.id, coalesce(f.on_day, cast(t.updated_at as date))
from committee as t left join first_recorded as f on f.entity = 'committee' and f.entity_id = t.id
union all
select 'eval_question', t.id, cast(t.created_at as date) from eval_question as t
union all
select 'eval_criterion', t.id, cast(t.created_at as date) from eval_criterion as t
union all
select 'indicator', t.id, cast(t.created_at as date) from indicator as t
union all
select 'deliverable', t.id, cast(t.created_at as date) from deliverable as t;

drop table first_recorded;
