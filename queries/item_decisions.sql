-- name: item_decisions
-- purpose: the decisions that concern one item (a gate approving its launch, the presentation of its results, its validation…), oldest first, with the meeting, committee and source
-- params: $item_kind (phase | orientation | action | deliverable), $item_id (integer)
with final as (
    select
        d.id as decision_id,
        m.held_on,
        c.name as committee_name,
        d.kind,
        d.text,
        src.document as source_document,
        src.article as source_article
    from decision_item as di
    join decision as d on d.id = di.decision_id
    join meeting as m on m.id = d.meeting_id
    join committee as c on c.id = m.committee_id
    left join source_ref as src on src.id = d.source_id
    where di.item_kind = $item_kind and di.item_id = $item_id
        and d.cancelled_at is null and m.cancelled_at is null
)

select * from final
order by held_on, decision_id
