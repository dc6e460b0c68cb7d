-- name: action_versions
-- purpose: the version of each action of a programme, so a bulk edit says which version it saw
-- params: $programme_code (varchar)
with final as (
    select a.id, a.version, a.updated_by, a.updated_at
    from action as a
    join orientation as o on o.id = a.orientation_id
    join programme as pr on pr.id = o.programme_id
    where pr.code = $programme_code
)

select * from final
order by id
