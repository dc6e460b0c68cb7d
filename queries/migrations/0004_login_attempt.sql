-- Login attempts, append-only: the lockout (5 failures lock an account for 15 minutes)
-- is computed from them; no password, hash or secret is ever stored here.

create sequence login_attempt_id_seq;
create table login_attempt (
    id bigint primary key default nextval('login_attempt_id_seq'),
    login varchar not null,
    attempted_at timestamp not null,
    succeeded boolean not null
);
