-- name: organisation_records
-- purpose: every organisation (archived ones too) with its kind, kind of funder, SIRET and version, and its persons (name, role, version) as a list, for the forms
-- params: (none)
with people as (
    select
        organisation_id,
        list(
            {'person_id': id, 'full_name': full_name, 'role_title': role_title,
             'version': version, 'sourced': source_id is not null}
            order by full_name
        ) as persons
    from person
    where archived_on is null
    group by organisation_id
),

final as (
    select
        o.id as organisation_id,
        o.code,
        o.name,
        o.kind,
        o.siret,
        o.rna,
        o.funder_category,
        o.archived_on,
        o.source_id is not null as sourced,
        o.version,
        coalesce(p.persons, []) as persons
    from organisation as o
    left join people as p on p.organisation_id = o.id
)

select * from final
order by archived_on nulls first, name
