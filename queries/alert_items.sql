-- name: alert_items
-- purpose: items that need attention as of a date: blocked ones, and those whose planned end has passed without being delivered, validated or cancelled
-- params: $as_of (date), $programme_code (varchar; NULL: every programme), $limit (integer, optional: the first ones only, as a slide shows them)
with items as (
    select w.*, pr.code as programme_code
    from work_item as w
    join programme as pr on pr.id = w.programme_id
    join programme_start as ps on ps.programme_id = pr.id
    where ($programme_code is null or pr.code = $programme_code)
        and ps.starts_on <= $as_of
        and w.exists_from <= $as_of
        and (w.archived_on is null or w.archived_on > $as_of)
        and (pr.archived_on is null or pr.archived_on > $as_of)
),

flagged as (
    select
        i.programme_code,
        i.item_kind,
        i.item_id,
        i.title,
        i.ends_on,
        s.status,
        case when s.status = 'blocked' then 'blocked' else 'overdue' end as reason
    from items as i
    left join status_at($as_of) as s on s.item_kind = i.item_kind and s.item_id = i.item_id
    where s.status = 'blocked'
        or (i.ends_on < $as_of and coalesce(s.status, 'unknown') not in ('delivered', 'validated', 'cancelled'))
),

final as (
    select * from flagged
)

select * from final
order by reason, ends_on nulls last, programme_code, item_kind, item_id
limit coalesce($limit, 1000000000)
