-- name: citizen_councils
-- purpose: the conseils citoyens known at a date — recorded by then, not archived by then — with the QPV they are attached to, their members in force at that date by collège (appointed by then, not gone, recorded by then), their seats in comités de pilotage in force then, and their opinions received and recorded by then
-- params: $as_of (date)
with known as (
    select c.*
    from citizen_council as c
    where cast(c.created_at as date) <= $as_of
        and (c.archived_on is null or c.archived_on > $as_of)
),

qpv as (
    select
        l.council_id,
        string_agg(t.name, ', ' order by t.name) as qpv_names,
        count(*) as qpv_count
    from citizen_council_qpv as l
    inner join territory as t on l.territory_id = t.id
    group by l.council_id
),

members as (
    select
        m.council_id,
        count(*) filter (where m.college = 'residents') as residents,
        count(*) filter (where m.college = 'local_actors') as local_actors
    from council_members_at($as_of) as m
    group by m.council_id
),

seats as (
    select
        m.council_id,
        count(*) as seats
    from council_seats_at($as_of) as s
    inner join citizen_council_member as m on s.member_id = m.id
    group by m.council_id
),

opinions as (
    select
        o.council_id,
        count(*) as opinions,
        max(o.received_on) as last_opinion_on
    from citizen_council_opinion as o
    where o.received_on <= $as_of
        and cast(o.created_at as date) <= $as_of
        and (o.cancelled_at is null or cast(o.cancelled_at as date) > $as_of)
    group by o.council_id
),

final as (
    select
        k.id,
        k.name,
        k.established_on,
        k.version,
        coalesce(q.qpv_names, '') as qpv_names,
        coalesce(q.qpv_count, 0) as qpv_count,
        coalesce(m.residents, 0) as residents,
        coalesce(m.local_actors, 0) as local_actors,
        coalesce(s.seats, 0) as seats,
        coalesce(o.opinions, 0) as opinions,
        o.last_opinion_on
    from known as k
    left join qpv as q on k.id = q.council_id
    left join members as m on k.id = m.council_id
    left join seats as s on k.id = s.council_id
    left join opinions as o on k.id = o.council_id
)

select * from final
order by name, id
