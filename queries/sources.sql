-- name: sources
-- purpose: every fact that carries a source (cancelled records left out), with the document, article and excerpt it comes from
-- params: (none)
with facts as (
    select 'organisation' as entity, id as entity_id, name as label, cast(null as varchar) as detail,
        source_id
    from organisation
    union all select 'person', id, full_name || ' (' || role_title || ')', null, source_id from person
    union all select 'programme', id, title, null, source_id from programme
    union all select 'legal_act', id, title, null, source_id from legal_act where cancelled_at is null
    union all select 'clause', id, article || ' : ' || summary, null, source_id from clause
        where cancelled_at is null
    union all select 'phase', id, 'Phase ' || number || ' : ' || title, null, source_id from phase
    union all select 'orientation', id, title, null, source_id from orientation
    union all select 'action', id, title, null, source_id from action
    union all select 'committee', id, name, null, source_id from committee
    union all select 'meeting', id, strftime(held_on, '%Y-%m-%d'), null, source_id from meeting
        where cancelled_at is null
    union all select 'decision', id, text, null, source_id from decision where cancelled_at is null
    union all select 'budget_line', id, coalesce(label, cast(fiscal_year as varchar)), null, source_id
        from budget_line where cancelled_at is null
    union all select 'status_event', id, item_kind || ' ' || item_id, to_status, source_id from status_event
    union all select 'programme_note', id, title, null, source_id from programme_note
    union all select 'programme_link', from_programme_id, kind, null, source_id from programme_link
    union all select 'act_party', act_id, cast(organisation_id as varchar), null, source_id from act_party
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
