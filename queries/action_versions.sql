-- name: action_versions
-- purpose: the version of each current (not archived) action of a programme, so a bulk edit says which version it saw, and whether its title comes from an act
-- params: $programme_code (varchar)
with final as (
    select a.id, a.version, a.updated_by, a.updated_at, a.source_id is not null as sourced
    from action as a
    join programme as pr on pr.id = a.programme_id
    where pr.code = $programme_code and a.archived_on is null
)

select * from final
order by id
