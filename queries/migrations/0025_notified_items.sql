-- Alerts grouped (issue 25): the alerts of one subscription go out in one message per run,
-- listing only those not yet signalled; each alert signalled is remembered here by its
-- key, with the notification that carried it, so that it is never signalled twice.

create table notified_item (
    subscription_id integer not null,
    item_key varchar not null,
    notification_id bigint not null,
    primary key (subscription_id, item_key)
);
