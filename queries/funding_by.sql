-- name: funding_by
-- purpose: the financing plans read one way at a time, as of a date — per funder, per kind of funder, per nature of credits, per fiscal year, per action and per territory: what the budget lines in force grant in cash (per tax basis: HT and TTC are never added), the lines in kind or stated « financier et/ou matériel » counted apart, and what was committed and paid on them up to then (NULL when no payment was recorded on any of them); what is not said is its own row (key NULL: « non renseigné »), never spread over the others; a line tagged with two territories counts in each, so territory rows are not to be added up (tags are read as the rule tagged_in reads them: what the line finances, not a dated fact)
-- params: $as_of (date), $programme_code (varchar; NULL: every programme), $fiscal_year (integer; NULL: every year)
with lines as (
    select b.id, b.fiscal_year, b.kind, b.amount, b.tax_basis, b.funder_id, b.action_id,
        b.funding_nature
    from budget_lines_in_force($as_of) as b
    join programme as pr on pr.id = b.programme_id
    where ($programme_code is null or pr.code = $programme_code)
        and ($fiscal_year is null or b.fiscal_year = $fiscal_year)
),

spent as (
    select
        p.budget_line_id,
        sum(p.amount) filter (where p.stage = 'commitment') as committed,
        sum(p.amount) filter (where p.stage = 'disbursement') as paid
    from payment as p
    semi join lines as l on l.id = p.budget_line_id
    where p.cancelled_at is null and p.occurred_on <= $as_of
    group by p.budget_line_id
),

tags as (
    select g.entity_id as line_id, g.territory_id, t.name
    from territory_tag as g
    join territory as t on t.id = g.territory_id
    where g.entity = 'budget_line' and g.cancelled_at is null
),

keyed as (
    select 'funder' as dimension, cast(l.funder_id as varchar) as key, f.name as label, l.id
    from lines as l
    left join organisation as f on f.id = l.funder_id
    union all
    select 'funder_category', f.funder_category, null, l.id
    from lines as l
    left join organisation as f on f.id = l.funder_id
    union all
    select 'nature', l.funding_nature, null, l.id
    from lines as l
    union all
    select 'fiscal_year', cast(l.fiscal_year as varchar), null, l.id
    from lines as l
    union all
    select 'action', cast(l.action_id as varchar), a.title, l.id
    from lines as l
    left join action as a on a.id = l.action_id
    union all
    select 'territory', cast(t.territory_id as varchar), t.name, l.id
    from lines as l
    left join tags as t on t.line_id = l.id
),

final as (
    select
        k.dimension,
        k.key,
        k.label,
        l.tax_basis,
        count(*) filter (where l.kind = 'financial') as lines,
        count(*) filter (where l.kind <> 'financial') as in_kind_lines,
        sum(l.amount) filter (where l.kind = 'financial')::decimal(14, 2) as granted,
        case when count(s.budget_line_id) > 0 then sum(coalesce(s.committed, 0)) end::decimal(14, 2)
            as committed,
        case when count(s.budget_line_id) > 0 then sum(coalesce(s.paid, 0)) end::decimal(14, 2)
            as paid
    from keyed as k
    join lines as l on l.id = k.id
    left join spent as s on s.budget_line_id = l.id
    group by k.dimension, k.key, k.label, l.tax_basis
)

select * from final
order by dimension, key is null, coalesce(label, key), tax_basis
