-- name: corrections
-- purpose: the corrections made to records that cite a source (what an act says), newest first: which record and fields, the value before and after, who, when and why, and the source's excerpt, so a corrected value is never shown as if the act said it
-- params: $entity (varchar or NULL: every kind of record), $any_record (boolean, optional: the corrections of records that cite no source too, as a payment's)
with updates as (
    select
        a.id as audit_id,
        a.occurred_at,
        a.actor,
        a.entity,
        a.entity_id,
        a.before,
        a.after,
        a.reason,
        cast(json_extract(a.before, '$.source_id') as integer) as source_id
    from audit_log as a
    where a.operation = 'update'
        and a.reason is not null
        and ($entity is null or a.entity = $entity)
        and (coalesce($any_record, false) or (
            json_extract(a.before, '$.source_id') is not null
            and json_type(json_extract(a.before, '$.source_id')) <> 'NULL'))
),

final as (
    select
        u.audit_id,
        u.occurred_at,
        u.actor,
        u.entity,
        u.entity_id,
        u.before,
        u.after,
        u.reason,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from updates as u
    left join source_ref as src on src.id = u.source_id
)

select * from final
order by audit_id desc
