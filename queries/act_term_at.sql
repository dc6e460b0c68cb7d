-- name: act_term_at
-- purpose: one act's term in force at a date (acts_in_force: as extended by the avenants in force then), the term it was signed with, and the number of the avenant that set it
-- params: $act_id (integer), $as_of (date)
with in_force as (
    select id, term_on, ends_on, extended_by
    from acts_in_force($as_of)
    where id = $act_id
),

final as (
    select a.id, coalesce(f.term_on, a.ends_on) as term_on, a.ends_on, x.number as extended_by_number
    from legal_act as a
    left join in_force as f on f.id = a.id
    left join legal_act as x on x.id = f.extended_by
    where a.id = $act_id
)

select * from final
