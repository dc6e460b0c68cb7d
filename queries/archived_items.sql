-- name: archived_items
-- purpose: the archived phases, orientations and actions of a programme, with their archiving date, reason and version, so they can be brought back
-- params: $programme_code (varchar)
with final as (
    select w.item_kind, w.item_id, w.title, w.archived_on, w.version
    from work_item as w
    join programme as pr on pr.id = w.programme_id
    where pr.code = $programme_code and w.archived_on is not null
)

select * from final
order by archived_on desc, item_kind, item_id
