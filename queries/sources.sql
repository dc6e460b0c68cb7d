-- name: sources
-- purpose: every fact that carries a source (cancelled records left out), with the document, article and excerpt it comes from
-- params: (none)
-- only what has a source (each table read through its index on source_id)
with facts as (
    select 'organisation' as entity, id as entity_id, name as label, cast(null as varchar) as detail,
        source_id
    from organisation where source_id is not null
    union all select 'person', id, full_name || ' (' || role_title || ')', null, source_id from person
        where source_id is not null
    union all select 'programme', id, title, null, source_id from programme
        where source_id is not null
    union all select 'legal_act', id, title, null, source_id from legal_act
        where source_id is not null and cancelled_at is null
    union all select 'clause', id, article || ' : ' || summary, null, source_id from clause
        where source_id is not null and cancelled_at is null
    union all select 'phase', id, 'Phase ' || number || ' : ' || title, null, source_id from phase
        where source_id is not null
    union all select 'orientation', id, title, null, source_id from orientation
        where source_id is not null
    union all select 'action', id, title, null, source_id from action
        where source_id is not null
    union all select 'committee', id, name, null, source_id from committee
        where source_id is not null
    union all select 'meeting', id, strftime(held_on, '%Y-%m-%d'), null, source_id from meeting
        where source_id is not null and cancelled_at is null
    union all select 'decision', id, text, null, source_id from decision
        where source_id is not null and cancelled_at is null
    union all select 'budget_line', id, coalesce(label, cast(fiscal_year as varchar)), null, source_id
        from budget_line where source_id is not null and cancelled_at is null
    union all select 'status_event', id, item_kind || ' ' || item_id, to_status, source_id from status_event
        where source_id is not null
    union all select 'programme_note', id, title, null, source_id from programme_note
        where source_id is not null
    union all select 'programme_link', from_programme_id, kind, null, source_id from programme_link
        where source_id is not null
    union all select 'act_party', act_id, cast(organisation_id as varchar), null, source_id from act_party
        where source_id is not null
),

final as (
    select
        f.entity,
        f.entity_id,
        f.label,
        f.detail,
        s.document,
        s.article,
        s.excerpt
    from facts as f
    join source_ref as s on s.id = f.source_id
)

select * from final
order by document, article, entity, entity_id
