-- name: deadlines
-- purpose: the dates that matter, computed from acts and clauses: each term, the last day to send a termination notice taking effect before the term, the last day to sign an extension avenant, and the relative delays (amicable settlement) with no date until a letter is recorded
-- params: $programme_code (varchar; NULL: every programme)
with acts as (
    select a.*, pr.code as programme_code
    from legal_act as a
    join programme as pr on pr.id = a.programme_id
    where $programme_code is null or pr.code = $programme_code
),

duration_clause as (
    select act_id, min(id) as clause_id
    from clause
    where kind = 'duration'
    group by act_id
),

terms as (
    select
        a.ends_on as due_on,
        'term' as kind,
        a.id as act_id,
        dc.clause_id
    from acts as a
    left join duration_clause as dc on dc.act_id = a.id
    where a.ends_on is not null
),

termination as (
    select
        cast(a.ends_on - to_months(coalesce(c.months, 0)) - to_days(coalesce(c.days, 0)) as date),
        'termination_notice_deadline',
        a.id,
        c.id
    from clause as c
    join acts as a on a.id = c.act_id
    where c.kind = 'termination_notice' and a.ends_on is not null
),

extension as (
    select a.ends_on, 'extension_deadline', a.id, c.id
    from clause as c
    join acts as a on a.id = c.act_id
    where c.kind = 'extension_by_amendment' and a.ends_on is not null
),

settlement as (
    select cast(null as date), 'amicable_settlement_delay', a.id, c.id
    from clause as c
    join acts as a on a.id = c.act_id
    where c.kind = 'amicable_settlement'
),

all_deadlines as (
    select * from terms
    union all select * from termination
    union all select * from extension
    union all select * from settlement
),

final as (
    select
        d.due_on,
        d.kind,
        a.programme_code,
        a.id as act_id,
        a.kind as act_kind,
        a.number as act_number,
        a.reference as act_reference,
        a.title as act_title,
        a.ends_on as act_ends_on,
        c.id as clause_id,
        c.article as clause_article,
        c.days,
        c.months,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from all_deadlines as d
    join acts as a on a.id = d.act_id
    left join clause as c on c.id = d.clause_id
    left join source_ref as src on src.id = coalesce(c.source_id, a.source_id)
)

select * from final
order by due_on nulls last, programme_code, kind
