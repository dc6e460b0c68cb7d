-- name: citizen_council_members
-- purpose: the members of one conseil citoyen in force at a date (appointed by then, not gone, recorded by then), by collège, with their renewal and the comités de pilotage where they represent it at that date
-- params: $council_id (integer), $as_of (date)
with members as (
    select m.*
    from council_members_at($as_of) as m
    where m.council_id = $council_id
),

seats as (
    select
        s.member_id,
        string_agg(c.name, ', ' order by c.name) as committees
    from council_seats_at($as_of) as s
    inner join committee as c on s.committee_id = c.id
    group by s.member_id
),

final as (
    select
        m.id,
        m.full_name,
        m.college,
        m.appointed_on,
        m.renewed_on,
        m.version,
        s.committees
    from members as m
    left join seats as s on m.id = s.member_id
)

select * from final
order by college desc, full_name, id
