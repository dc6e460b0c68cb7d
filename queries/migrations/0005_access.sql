-- Access that ends at once and a lockout that cannot be raced.
-- app_user.access_epoch: raised whenever a role, the active flag or a password changes;
-- a session (and every write service) carries the epoch it was opened with, so a right
-- removed by an administrator ends on that user's next interaction.
-- login_attempt is rebuilt: what was typed in the login field is kept only as a keyed
-- hash (login_key), never as text (a password typed there by mistake stays unreadable);
-- the account is named by its id, the client address by a keyed hash; an attempt is
-- recorded as 'pending' before its password is checked, so parallel attempts count.

alter table app_user add column access_epoch integer default 1;
update app_user set access_epoch = 1 where access_epoch is null;

drop table login_attempt;
drop sequence login_attempt_id_seq;
create sequence login_attempt_id_seq;
create table login_attempt (
    id bigint primary key default nextval('login_attempt_id_seq'),
    login_key varchar not null,
    client_key varchar not null,
    user_id integer,
    attempted_at timestamp not null,
    outcome varchar not null check (outcome in ('pending', 'success', 'failure', 'throttled'))
);

insert into app_meta
select 'login_key_secret', replace(cast(gen_random_uuid() as varchar), '-', '')
    || replace(cast(gen_random_uuid() as varchar), '-', '')
where not exists (select 1 from app_meta where key = 'login_key_secret');
