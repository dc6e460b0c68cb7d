-- Speed of a date inside a month (issue 28): beside programme_month, what each day
-- changed in each programme's counts (the same sides, summed by day). The overview « au »
-- a date inside a month adds the days of that month up to the date to the months before
-- it, instead of reading that month's events: a read that does not grow with the number
-- of events, and no longer plans the whole counting of sides (counted_sides). Kept by the
-- same writes as programme_month (rollups.py); filled by the recomputation that follows
-- the rules' install (rollups.refresh_all).

create table programme_day (
    programme_id integer not null,
    day date not null,
    phases_total integer not null,
    phases_delivered integer not null,
    phases_unknown integer not null,
    orientations_total integer not null,
    actions_total integer not null,
    items_total integer not null,
    planned integer not null,
    in_progress integer not null,
    delivered integer not null,
    validated integer not null,
    blocked integer not null,
    cancelled integer not null,
    status_unknown integer not null,
    progress_known integer not null,
    weight_known decimal(38, 2) not null,
    weighted_sum decimal(38, 2) not null,
    primary key (programme_id, day)
);
