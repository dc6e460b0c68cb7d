-- name: audit_trail
-- purpose: the latest audit entries, newest first, optionally for one entity kind (NULL: all)
-- params: $entity (varchar or NULL), $limit (integer)
with final as (
    select id as audit_id, occurred_at, actor, operation, entity, entity_id, before, after, reason
    from audit_log
    where $entity is null or entity = $entity
)

select * from final
order by audit_id desc
limit $limit
