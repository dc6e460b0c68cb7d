-- Judgements (issue 23, part 1): the argued answer to an evaluative question, in
-- versions. A version is a draft until a committee decision validates it (the decision
-- is the record of validation, like a gate); from then it is frozen, and a later change
-- is a new version. « Au » a date, the version in force is the latest one validated by a
-- meeting held and recorded by then.
--
-- Each version judges the question's criteria: « atteint », « partiellement atteint »,
-- « non atteint » or « non évaluable » (which says why); a judged criterion rests on at
-- least one piece of evidence (an indicator's values with territory and periods, a
-- deliverable, a committee decision, a document with its page) and says the strength
-- of that evidence with the reason. The services check the links (no foreign keys to
-- rows that may be corrected).

create sequence judgement_id_seq;
create table judgement (
    id integer primary key default nextval('judgement_id_seq'),
    question_id integer not null references eval_question (id),
    version_no integer not null check (version_no >= 1),
    answer varchar not null check (length(trim(answer)) > 0),
    limits varchar,
    written_by varchar not null check (length(trim(written_by)) > 0),
    written_on date not null,
    validated_decision_id integer,
    validated_on date,
    validated_at timestamp,
    validated_by varchar,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    created_at timestamp not null default current_timestamp,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp,
    updated_by varchar not null,
    unique (question_id, version_no),
    check ((validated_decision_id is null) = (validated_on is null))
);

create sequence criterion_judgement_id_seq;
create table criterion_judgement (
    id integer primary key default nextval('criterion_judgement_id_seq'),
    judgement_id integer not null references judgement (id),
    criterion_id integer not null,
    verdict varchar not null
        check (verdict in ('met', 'partly_met', 'not_met', 'not_assessable')),
    reasoning varchar not null check (length(trim(reasoning)) > 0),
    strength varchar check (strength is null or strength in ('strong', 'medium', 'weak')),
    strength_reason varchar,
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    check ((verdict = 'not_assessable') = (strength is null)),
    check (strength is null or length(trim(coalesce(strength_reason, ''))) > 0)
);

create sequence judgement_evidence_id_seq;
create table judgement_evidence (
    id integer primary key default nextval('judgement_evidence_id_seq'),
    criterion_judgement_id integer not null references criterion_judgement (id),
    kind varchar not null check (kind in ('indicator', 'deliverable', 'decision', 'document')),
    indicator_id integer,
    territory_id integer,
    period_from date,
    period_to date,
    deliverable_id integer,
    decision_id integer,
    source_id integer references source_ref (id),
    note varchar,
    recorded_by varchar not null,
    recorded_at timestamp not null,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    check ((kind = 'indicator') = (indicator_id is not null)),
    check ((kind = 'deliverable') = (deliverable_id is not null)),
    check ((kind = 'decision') = (decision_id is not null)),
    check ((kind = 'document') = (source_id is not null)),
    check (period_from is null or period_to is null or period_from <= period_to)
);

-- a recommendation may stem from one judged criterion (besides its question)
alter table recommendation add column criterion_judgement_id integer;
