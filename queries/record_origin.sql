-- name: record_origin
-- purpose: where one record comes from and from when it exists (record_start), with the act that creates it (kind, number, reference, the reference of the act it amends, its programme's title) for its French name
-- params: $entity (varchar), $entity_id (integer)
with start as (
    select *
    from record_start
    where entity = $entity and entity_id = $entity_id
),

final as (
    select
        s.*,
        a.kind as act_kind,
        a.number as act_number,
        a.reference as act_reference,
        a.title as act_title,
        a.short_name as act_short_name,
        am.reference as amends_reference,
        pr.title as programme_title
    from start as s
    left join legal_act as a on a.id = s.act_id
    left join legal_act as am on am.id = a.amends_act_id
    left join programme as pr on pr.id = a.programme_id
)

select * from final
