-- name: unknown_statuses
-- purpose: the gap « statut inconnu » of completeness, apart from the other gaps (which read no status, so a status change does not make them read again): per programme present at the date and kind of item, how many of its items existing then, not archived, have no status known at the date; the columns of completeness
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
-- statuses: known
select
    'status_unknown' as code, pr.code as programme_code, 'programme' as entity,
    pr.id as entity_id, w.item_kind as subject, cast(count(*) as varchar) as detail
from work_item as w
join programme as pr on pr.id = w.programme_id
join programme_start as ps on ps.programme_id = pr.id
anti join status_at($as_of) as s on s.item_kind = w.item_kind and s.item_id = w.item_id
where ($programme_code is null or pr.code = $programme_code)
    and ps.starts_on <= $as_of
    and w.exists_from <= $as_of
    and (w.archived_on is null or w.archived_on > $as_of)
group by pr.code, pr.id, w.item_kind
order by programme_code, code, entity_id, detail
