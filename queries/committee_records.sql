-- name: committee_records
-- purpose: every committee (archived ones too) with its programme, kind, name, mandate and version, for the forms
-- params: (none)
with final as (
    select
        c.id as committee_id,
        pr.code as programme_code,
        c.kind,
        c.name,
        c.mandate,
        c.archived_on,
        c.source_id is not null as sourced,
        c.version
    from committee as c
    join programme as pr on pr.id = c.programme_id
)

select * from final
order by archived_on nulls first, programme_code, committee_id
