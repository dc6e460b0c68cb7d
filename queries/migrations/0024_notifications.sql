-- Telling people before it is late (issue 25): an account's e-mail address, verified by
-- a signed link it receives; its subscriptions (per programme or for every one: the
-- reminders of deadlines at chosen days before them, the alerts, the weekly digest of
-- what changed, the pack of each quarter ended); and every notification computed for it
-- — the notification centre and the send log at once. A notification is claimed by its
-- key (person, what, step) before it is sent: it is sent once, whatever runs twice.

alter table app_user add column email varchar;
alter table app_user add column email_verified_at timestamp;

create sequence subscription_id_seq;
create table subscription (
    id integer primary key default nextval('subscription_id_seq'),
    user_id integer not null,
    programme_id integer references programme (id),
    kind varchar not null check (kind in ('reminder', 'alert', 'digest', 'pack')),
    reminder_days varchar,
    created_at timestamp not null default current_timestamp,
    cancelled_at timestamp,
    cancelled_by varchar,
    cancel_reason varchar,
    check (kind = 'reminder' or reminder_days is null)
);

create sequence notification_id_seq;
create table notification (
    id bigint primary key default nextval('notification_id_seq'),
    user_id integer not null,
    subscription_id integer,
    dedup_key varchar not null unique,
    kind varchar not null check (kind in ('reminder', 'alert', 'digest', 'pack', 'test')),
    programme_code varchar,
    subject varchar not null,
    body varchar not null,
    link varchar,
    created_at timestamp not null,
    status varchar not null
        check (status in ('pending', 'sending', 'sent', 'failed', 'uncertain', 'not_sent')),
    attempts integer not null default 0,
    next_attempt_at timestamp,
    last_error varchar,
    sent_at timestamp,
    read_at timestamp
);
