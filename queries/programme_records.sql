-- name: programme_records
-- purpose: every programme (archived ones too) with its kind, description, version and archiving, for the forms that create, correct and archive records
-- params: (none)
with final as (
    select
        pr.id as programme_id,
        pr.code,
        pr.title,
        pr.kind,
        pr.description,
        pr.short_name,
        pr.archived_on,
        pr.archive_reason,
        pr.source_id is not null as sourced,
        pr.version,
        pr.updated_by,
        pr.updated_at
    from programme as pr
)

select * from final
order by archived_on nulls first, code
