-- Accounts of the identity provider are bound by its stable identifier of the person
-- (issuer + « sub » claim), never by a name or an e-mail address (issue 27, part 4):
-- two people whose addresses normalise alike get two accounts, and an address equal to
-- a local account's login never opens that account. A fresh ID token opens at most one
-- tracker session: provider_sign_in keeps the SHA-256 of each one used.

alter table app_user add column provider_issuer varchar;
alter table app_user add column provider_subject varchar;

create table provider_sign_in (
    token_key varchar primary key,
    used_at timestamp not null
);
