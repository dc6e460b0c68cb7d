-- name: parent_programmes
-- purpose: the programme of records whose audit images name no programme but their parent (a clause or a party its act, a meeting its committee, a decision or its items their meeting or decision, a payment its budget line), with that programme's code: where the read cache places their writes
-- params: $acts (integer[]), $committees (integer[]), $meetings (integer[]), $decisions (integer[]), $lines (integer[])
select 'act' as parent, a.id, pr.code
from legal_act as a
join programme as pr on pr.id = a.programme_id
where a.id = any($acts)
union all
select 'committee', c.id, pr.code
from committee as c
join programme as pr on pr.id = c.programme_id
where c.id = any($committees)
union all
select 'meeting', m.id, pr.code
from meeting as m
join committee as c on c.id = m.committee_id
join programme as pr on pr.id = c.programme_id
where m.id = any($meetings)
union all
select 'decision', d.id, pr.code
from decision as d
join meeting as m on m.id = d.meeting_id
join committee as c on c.id = m.committee_id
join programme as pr on pr.id = c.programme_id
where d.id = any($decisions)
union all
select 'line', b.id, pr.code
from budget_line as b
join programme as pr on pr.id = b.programme_id
where b.id = any($lines)
