-- name: archive_side_rows
-- purpose: the archived items' state and weight on their archiving day (their last event before it, the weight in force the day before)
-- params: chosen (integer[])
-- uses: chosen_items
-- wording: Une fiche archivée cesse de figurer à sa date d'archivage.
create or replace macro archive_side_rows(chosen) as table
with archived as (
    select *, greatest(archived_on, exists_from) as archived_side_on
    from chosen_items(chosen)
    where archived_on is not null
),

before_archiving as (
    select
        e.item_kind,
        e.item_id,
        arg_max(e.to_status, e.id) as status,
        arg_max(coalesce(e.progress, e.from_progress), e.id) as progress
    from status_event as e
    semi join archived as a on a.item_kind = e.item_kind and a.id = e.item_id
        and greatest(e.occurred_on, a.exists_from) < a.archived_side_on
    group by e.item_kind, e.item_id
),

weighed as (
    select a.*, coalesce((
        select arg_max(c.weight, c.valid_from) from weight_change as c
        where c.item_kind = a.item_kind and c.item_id = a.id
            and greatest(c.valid_from, a.exists_from) < a.archived_side_on), a.weight) as weight_then
    from archived as a
)

select a.programme_id, a.item_kind, a.id, a.archived_side_on, a.weight_then, b.status, b.progress
from weighed as a
left join before_archiving as b on b.item_kind = a.item_kind and b.item_id = a.id;
