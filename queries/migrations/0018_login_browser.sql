-- The lockout counts per account too, and knows the browsers an account signs in from
-- (issue 27, part 6): each attempt keeps a keyed hash of its browser's pre-session
-- cookie (browser_key, null without one). A browser that has signed in to an account
-- before is throttled only by its own failures on that account; any other attempt also
-- by the account's failures from everywhere, so rotating addresses gains nothing and
-- failures of strangers behind one proxy never lock out the account's own browser.

alter table login_attempt add column browser_key varchar;
