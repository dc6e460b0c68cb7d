-- name: status_history
-- purpose: every status event of one item, oldest first, with who, when, the decision and the source
-- params: $item_kind (phase | orientation | action), $item_id (integer)
with final as (
    select
        e.id as event_id,
        e.occurred_on,
        e.recorded_at,
        e.actor,
        e.from_status,
        e.to_status,
        e.progress,
        e.comment,
        e.decision_id,
        d.text as decision_text,
        m.held_on as decision_meeting_on,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from status_event as e
    left join decision as d on d.id = e.decision_id
    left join meeting as m on m.id = d.meeting_id
    left join source_ref as src on src.id = e.source_id
    where e.item_kind = $item_kind and e.item_id = $item_id
)

select * from final
order by event_id
