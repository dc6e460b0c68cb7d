-- A one-use sign-in code belongs to the browser that asked for it (issue 27, part 5):
-- the SHA-256 of that browser's pre-session cookie is kept with the code, and the
-- session route exchanges the code only for a request carrying the same cookie — a
-- link from another site cannot switch someone's session to another account.

alter table user_session add column browser_hash varchar;
