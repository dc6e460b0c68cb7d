-- name: action_axes
-- purpose: the « axes » or « piliers » of the contrat de ville each action of a programme (or all) carries, in the order they were given (cancelled ones left out)
-- params: $programme_code (varchar; NULL: every programme)
with final as (
    select x.action_id, list(x.axis order by x.id) as axes
    from action_axis as x
    join action as a on a.id = x.action_id
    join programme as pr on pr.id = a.programme_id
    where x.cancelled_at is null
        and ($programme_code is null or pr.code = $programme_code)
    group by x.action_id
)

select * from final
order by action_id
