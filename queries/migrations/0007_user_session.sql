-- Sessions that survive a reload: a signed-in browser holds a random token in an
-- HttpOnly cookie; the server keeps only its SHA-256, with its account, the access
-- epoch it was opened with, when it was last used and when it ends. A session ends
-- at logout, after the idle timeout, at its absolute expiry, and when its account's
-- access epoch moves (role, password, deactivation): revoked_at says when and why.
-- 'handoff' rows are the one-use codes (valid two minutes) that carry a login from
-- the page to the route that sets the cookie. Never backed up nor exported: a
-- restore signs everyone out.

create sequence user_session_id_seq;
create table user_session (
    id bigint primary key default nextval('user_session_id_seq'),
    token_hash varchar not null unique,
    kind varchar not null check (kind in ('handoff', 'session')),
    user_id integer not null,
    access_epoch integer not null,
    next_path varchar,
    created_at timestamp not null,
    last_seen_at timestamp not null,
    expires_at timestamp not null,
    revoked_at timestamp,
    revoked_reason varchar
);
