-- name: item_timeline
-- purpose: one item's whole history, oldest first: its status events and the audit entries of its record (who, when, before -> after, comment)
-- params: $item_kind (phase | orientation | action), $item_id (integer)
with events as (
    select
        e.recorded_at as happened_at,
        e.occurred_on,
        e.actor,
        'status' as entry_kind,
        e.from_status,
        e.to_status,
        e.progress,
        e.comment,
        d.text as decision_text,
        cast(null as json) as before,
        cast(null as json) as after,
        src.document as source_document,
        src.article as source_article,
        e.id as entry_id
    from status_event as e
    left join decision as d on d.id = e.decision_id
    left join source_ref as src on src.id = e.source_id
    where e.item_kind = $item_kind and e.item_id = $item_id
),

audits as (
    select
        a.occurred_at as happened_at,
        cast(a.occurred_at as date) as occurred_on,
        a.actor,
        a.operation as entry_kind,
        cast(null as varchar) as from_status,
        cast(null as varchar) as to_status,
        cast(null as integer) as progress,
        a.reason as comment,
        cast(null as varchar) as decision_text,
        a.before,
        a.after,
        cast(null as varchar) as source_document,
        cast(null as varchar) as source_article,
        a.id as entry_id
    from audit_log as a
    where a.entity = $item_kind and a.entity_id = cast($item_id as varchar)
),

final as (
    select * from events
    union all
    select * from audits
)

select * from final
order by happened_at, entry_kind = 'status', entry_id
