-- name: citizen_council_opinions
-- purpose: the opinions of one conseil citoyen received and recorded by a date (not cancelled by then), newest first, with what they are about and how many files carry them
-- params: $council_id (integer), $as_of (date)
with opinions as (
    select o.*
    from citizen_council_opinion as o
    where o.council_id = $council_id
        and o.received_on <= $as_of
        and cast(o.created_at as date) <= $as_of
        and (o.cancelled_at is null or cast(o.cancelled_at as date) > $as_of)
),

files as (
    select
        a.entity_id,
        count(*) as files
    from attachment as a
    where a.entity = 'citizen_council_opinion' and a.cancelled_at is null
    group by a.entity_id
),

final as (
    select
        o.id,
        o.subject,
        o.about,
        o.received_on,
        o.version,
        coalesce(f.files, 0) as files
    from opinions as o
    left join files as f on o.id = f.entity_id
)

select * from final
order by received_on desc, id desc
