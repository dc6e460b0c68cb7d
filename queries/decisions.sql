-- name: decisions
-- purpose: the register of decisions taken in a period and known by its end (their meeting's meeting_start): meeting, committee, kind, text, the items each concerns, source, version (cancelled ones left out)
-- params: $programme_code (varchar; NULL: every programme), $since (date; NULL: from the start), $until (date; NULL: to today)
with selected as (
    select
        d.id,
        d.kind,
        d.text,
        d.source_id,
        d.version,
        d.updated_by,
        d.updated_at,
        pr.code as programme_code,
        m.id as meeting_id,
        m.held_on,
        c.kind as committee_kind,
        c.name as committee_name
    from decision as d
    join meeting as m on m.id = d.meeting_id
    join committee as c on c.id = m.committee_id
    join programme as pr on pr.id = c.programme_id
    join meeting_start as ms on ms.meeting_id = m.id
    where ($programme_code is null or pr.code = $programme_code)
        and d.cancelled_at is null and m.cancelled_at is null
        -- held in the period, or held before it and made known in it (by an act)
        and ($since is null or m.held_on >= $since or ms.known_from >= $since)
        and ($until is null or (m.held_on <= $until and ms.known_from <= $until))
),

concerned as (
    select
        di.decision_id,
        list(
            {'item_kind': di.item_kind, 'item_id': di.item_id,
             'title': coalesce(w.title, dl.title), 'position': w.position}
            order by di.item_kind, w.position, di.item_id
        ) as items
    from decision_item as di
    semi join selected as s on s.id = di.decision_id
    left join work_item as w on w.item_kind = di.item_kind and w.item_id = di.item_id
    left join deliverable as dl on di.item_kind = 'deliverable' and dl.id = di.item_id
    group by di.decision_id
),

final as (
    select
        d.id as decision_id,
        d.programme_code,
        d.meeting_id,
        d.held_on,
        d.committee_kind,
        d.committee_name,
        d.kind,
        d.text,
        d.version,
        d.updated_by,
        d.updated_at,
        coalesce(ci.items, []) as items,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from selected as d
    left join concerned as ci on ci.decision_id = d.id
    left join source_ref as src on src.id = d.source_id
)

select * from final
order by held_on desc, decision_id
