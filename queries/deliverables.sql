-- name: deliverables
-- purpose: the deliverables of a programme (or all) as they stood at a date (existing then, their programme there then): what they belong to, planned and actual dates, status then (validé by a recorded decision held by then, remis once delivered, else prévu), late (planned date passed, not delivered), their territories and live attachments
-- params: $programme_code (varchar; NULL: every programme), $as_of (date)
with validations as (
    select
        di.item_id as deliverable_id,
        min(m.held_on) as validated_on,
        arg_min(d.id, m.held_on) as decision_id,
        arg_min(c.name, m.held_on) as committee_name
    from decision_item as di
    join decision as d on d.id = di.decision_id
    join meeting as m on m.id = d.meeting_id
    join committee as c on c.id = m.committee_id
    where di.item_kind = 'deliverable' and d.kind = 'validates'
        and d.cancelled_at is null and m.cancelled_at is null
        and m.held_on <= $as_of
    group by di.item_id
),

tags as (
    select
        g.entity_id,
        list(g.territory_id order by t.name) as territory_ids,
        list(t.code order by t.name) as territory_codes,
        list({'kind': t.kind, 'code': t.code, 'name': t.name} order by t.name) as territory_refs,
        string_agg(t.name, ', ' order by t.name) as territories
    from territory_tag as g
    join territory as t on t.id = g.territory_id
    where g.entity = 'deliverable' and g.cancelled_at is null
    group by g.entity_id
),

files as (
    select entity_id, count(*) as attachments
    from attachment
    where entity = 'deliverable' and cancelled_at is null
    group by entity_id
)

select
    dl.id,
    pr.code as programme_code,
    dl.kind,
    dl.title,
    dl.planned_on,
    case when dl.delivered_on <= $as_of then dl.delivered_on end as delivered_on,
    dl.description,
    dl.version,
    dl.phase_id,
    ph.number as phase_number,
    dl.orientation_id,
    o.title as orientation_title,
    dl.action_id,
    a.title as action_title,
    v.validated_on,
    v.decision_id,
    v.committee_name,
    case
        when v.validated_on is not null then 'validated'
        when dl.delivered_on <= $as_of then 'delivered'
        else 'planned'
    end as status,
    coalesce(dl.planned_on < $as_of and (dl.delivered_on is null or dl.delivered_on > $as_of),
        false) as late,
    coalesce(tg.territory_ids, []) as territory_ids,
    coalesce(tg.territory_codes, []) as territory_codes,
    coalesce(tg.territory_refs, []) as territory_refs,
    coalesce(tg.territories, '') as territories,
    coalesce(f.attachments, 0) as attachments
from deliverable as dl
join programme as pr on pr.id = dl.programme_id
left join phase as ph on ph.id = dl.phase_id
left join orientation as o on o.id = dl.orientation_id
left join action as a on a.id = dl.action_id
left join validations as v on v.deliverable_id = dl.id
left join tags as tg on tg.entity_id = dl.id
left join files as f on f.entity_id = dl.id
where ($programme_code is null or pr.code = $programme_code)
    and pr.id in (select programme_id from programme_start where starts_on <= $as_of)
    and dl.id not in (select entity_id from not_yet('deliverable', $as_of))
    and (dl.archived_on is null or dl.archived_on > $as_of)
    and (pr.archived_on is null or pr.archived_on > $as_of)
order by pr.code, dl.planned_on nulls last, dl.id
