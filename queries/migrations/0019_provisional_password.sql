-- A password an administrator sets for someone else is provisional (issue 27, part 7):
-- its owner signs in with it once, then must choose their own before anything else;
-- until then every write is refused.

alter table app_user add column password_provisional boolean default false;
update app_user set password_provisional = false;
