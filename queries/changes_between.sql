-- name: changes_between
-- purpose: what changed in a period (after $since, up to $until included): status changes, decisions taken or made known (a meeting known only from an act counts when that act starts: meeting_start), payments, acts that came into force (an avenant with the term it sets and the amounts it grants), newest first
-- params: $since (date), $until (date), $programme_code (varchar; NULL: every programme)
with statuses as (
    select
        e.occurred_on,
        pr.code as programme_code,
        'status' as change_kind,
        w.item_kind,
        w.item_id,
        w.position,
        w.title,
        e.from_status,
        e.to_status,
        e.progress,
        cast(null as decimal(14, 2)) as amount,
        cast(null as varchar) as stage,
        coalesce(e.comment, '') as detail,
        e.actor,
        e.id as entry_id
    from status_event as e
    join work_item as w on w.item_kind = e.item_kind and w.item_id = e.item_id
    join programme as pr on pr.id = w.programme_id
    where e.occurred_on > $since and e.occurred_on <= $until
      and w.exists_from <= $until
      and ($programme_code is null or pr.code = $programme_code)
),

decisions as (
    select
        m.held_on,
        pr.code,
        'decision',
        cast(null as varchar),
        cast(null as integer),
        cast(null as integer),
        c.name,
        cast(null as varchar),
        cast(null as varchar),
        cast(null as integer),
        cast(null as decimal(14, 2)),
        d.kind,
        d.text,
        d.recorded_by,
        d.id
    from decision as d
    join meeting as m on m.id = d.meeting_id
    join committee as c on c.id = m.committee_id
    join programme as pr on pr.id = c.programme_id
    join meeting_start as ms on ms.meeting_id = m.id
    where greatest(m.held_on, ms.known_from) > $since
      and greatest(m.held_on, ms.known_from) <= $until
      and d.cancelled_at is null and m.cancelled_at is null
      and ($programme_code is null or pr.code = $programme_code)
),

payments as (
    select
        p.occurred_on,
        pr.code,
        'payment',
        cast(null as varchar),
        cast(null as integer),
        cast(null as integer),
        coalesce(b.label, 'Exercice ' || b.fiscal_year),
        cast(null as varchar),
        cast(null as varchar),
        cast(null as integer),
        p.amount,
        p.stage,
        coalesce(p.reference, ''),
        p.recorded_by,
        p.id
    from payment as p
    join budget_line as b on b.id = p.budget_line_id
    join programme as pr on pr.id = b.programme_id
    where p.occurred_on > $since and p.occurred_on <= $until
      and p.cancelled_at is null
      and ($programme_code is null or pr.code = $programme_code)
),

-- an act in force from a day of the period: its title, the term it sets for the act it
-- amends (detail) and what its budget lines grant (amount)
acts as (
    select
        s.starts_on,
        pr.code,
        'act',
        a.kind,
        a.number,
        cast(null as integer),
        a.title,
        s.start_basis,
        cast(null as varchar),
        cast(null as integer),
        (select sum(b.amount) from budget_line as b
         where b.act_id = a.id and b.cancelled_at is null),
        cast(null as varchar),
        coalesce(strftime(a.extends_to, '%Y-%m-%d'), ''),
        a.updated_by,
        a.id
    from legal_act as a
    join act_start as s on s.act_id = a.id
    join programme as pr on pr.id = a.programme_id
    where s.starts_on > $since and s.starts_on <= $until
      and ($programme_code is null or pr.code = $programme_code)
),

final as (
    select * from statuses
    union all
    select * from decisions
    union all
    select * from payments
    union all
    select * from acts
)

select * from final
order by occurred_on desc, change_kind, entry_id desc
