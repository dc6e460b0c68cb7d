-- What real acts contain can be recorded (issue 21, part 4):
-- - a QPV named in an act without its official code: recorded as named, its code left
--   to complete (flagged in the completeness report); the code stays unique when given;
-- - a « quartier en veille active » (kind 'watch'): a quarter that left the QPV list
--   and that the contrat de ville keeps watching; no generation, a code only if the act
--   gives one;
-- - a support stated as an alternative (« un soutien financier et/ou matériel »): a
--   budget line of kind 'financial_or_in_kind', recorded as stated, asserting neither,
--   without an amount (as in-kind support: described, never estimated).
--
-- DuckDB cannot change a CHECK constraint in place: territory, budget_line and payment
-- (which references budget_line) are rebuilt, rows copied aside and back, sequences
-- kept so that ids go on. Nothing references territory or payment by a foreign key.

create temp table keep_territory as select * from territory;
create temp table keep_budget_line as select * from budget_line;
create temp table keep_payment as select * from payment;

drop table territory;
drop table payment;
drop table budget_line;

create table territory (
    id integer primary key default nextval('territory_id_seq'),
    kind varchar not null check (kind in ('metropole', 'council', 'commune', 'qpv', 'watch')),
    code varchar check (code is null or length(trim(code)) > 0),
    name varchar not null check (length(trim(name)) > 0),
    generation integer check (generation is null or generation in (2015, 2024)),
    source_id integer references source_ref (id),
    archived_on date,
    archive_reason varchar,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    unique (kind, code),
    check ((kind = 'qpv') = (generation is not null)),
    check (code is not null or kind in ('qpv', 'watch'))
);

create table budget_line (
    id integer primary key default nextval('budget_line_id_seq'),
    programme_id integer not null references programme (id),
    act_id integer references legal_act (id),
    clause_id integer references clause (id),
    fiscal_year integer not null check (fiscal_year between 2000 and 2100),
    kind varchar not null default 'financial'
        check (kind in ('financial', 'in_kind', 'financial_or_in_kind')),
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
    check (kind <> 'financial' or amount is not null),
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

insert into territory by name select * from keep_territory;
insert into budget_line by name select * from keep_budget_line;
insert into payment by name select * from keep_payment;

drop table keep_territory;
drop table keep_payment;
drop table keep_budget_line;
