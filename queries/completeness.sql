-- name: completeness
-- purpose: what the record lacks, one row per gap with a code the tracker turns into a French reason: unknown signature dates, references, deliberations and their numbers, representatives of the parties, missing avenants in the numbering, avenants starting after the term they amend, years without an amount, unspecified tax basis, no payment, indicators without baseline, target or recent value, questions without evidence, QPV and quartiers en veille active named without their official code (under each programme whose records use them, else once without a programme) (cancelled and archived records left out); the items without a known status are unknown_statuses, apart, so that a status change does not make this read again
-- params: $as_of (date: what the record held in force then), $programme_code (varchar; NULL: every programme)
with acts as (
    select a.*, pr.code as programme_code
    from acts_in_force($as_of) as a
    join programme as pr on pr.id = a.programme_id
),

lines as (
    select * from budget_lines_in_force($as_of)
),

signature as (
    select 'act_signature_unknown' as code, programme_code, 'legal_act' as entity, id as entity_id,
        title as subject, cast(null as varchar) as detail
    from acts
    where signed_on is null and concluded_on is null
),

term as (
    select 'act_term_unknown', programme_code, 'legal_act', id, title, null
    from acts
    where ends_on is null
),

deliberation as (
    select 'deliberation_number_unknown', programme_code, 'legal_act', id, title,
        deliberation_body || ' / ' || strftime(deliberation_date, '%Y-%m-%d')
    from acts
    where deliberation_number is null and (deliberation_date is not null or deliberation_body is not null)
),

no_deliberation as (
    select 'deliberation_unknown', programme_code, 'legal_act', id, title, null
    from acts
    where kind in ('agreement', 'amendment', 'cpo')
        and deliberation_body is null and deliberation_date is null and deliberation_number is null
),

no_reference as (
    select 'reference_unknown', programme_code, 'legal_act', id, title, null
    from acts
    where kind in ('agreement', 'cpo') and reference is null
),

no_representative as (
    select 'representative_unknown', a.programme_code, 'legal_act', a.id, a.title, o.name
    from act_party as ap
    join acts as a on a.id = ap.act_id
    join organisation as o on o.id = ap.organisation_id
    where ap.represented_by is null
),

late_amendment as (
    select 'amendment_after_term', a.programme_code, 'legal_act', a.id, a.title,
        strftime(am.ends_on, '%Y-%m-%d')
    from acts as a
    join legal_act as am on am.id = a.amends_act_id
    where a.kind = 'amendment' and am.ends_on is not null
        and ((a.start_basis in ('effective', 'concluded', 'signed') and a.starts_on > am.ends_on)
            or a.deliberation_date > am.ends_on)
),

numbering as (
    select amends_act_id as act_id, max(number) as top
    from acts
    where kind = 'amendment' and number is not null
    group by amends_act_id
),

missing_amendment as (
    select 'amendment_missing', a.programme_code, 'legal_act', a.id, a.title, cast(n.i as varchar)
    from numbering as nb
    join acts as a on a.id = nb.act_id
    cross join range(1, nb.top) as n(i)
    where not exists (
        select 1 from acts as x
        where x.amends_act_id = nb.act_id and x.number = n.i
    )
),

programme_years as (
    select
        a.programme_id,
        min(year(coalesce(a.concluded_on, a.signed_on, a.effective_on))) as first_act_year,
        min(b.fiscal_year) as first_budget_year
    from acts as a
    left join lines as b on b.programme_id = a.programme_id
    group by a.programme_id
),

no_amount as (
    select 'no_amount_for_years', pr.code, 'programme', pr.id, pr.title,
        cast(py.first_act_year as varchar) || '-' || cast(py.first_budget_year - 1 as varchar)
    from programme_years as py
    join programme as pr on pr.id = py.programme_id
    where py.first_act_year < py.first_budget_year
),

basis as (
    select 'tax_basis_unspecified', pr.code, 'budget_line', b.id, coalesce(b.label, pr.title),
        cast(b.fiscal_year as varchar)
    from lines as b
    join programme as pr on pr.id = b.programme_id
    where b.tax_basis = 'unspecified' and b.kind = 'financial'
),

no_payment as (
    select 'no_payment', pr.code, 'budget_line', b.id, coalesce(b.label, pr.title),
        cast(b.fiscal_year as varchar)
    from lines as b
    join programme as pr on pr.id = b.programme_id
    where b.kind = 'financial'
        and not exists (
            select 1 from payment as p
            where p.budget_line_id = b.id and p.cancelled_at is null and p.occurred_on <= $as_of
        )
),

-- a subsidy over 23 000 € is given by a convention (loi n° 2000-321, art. 10; décret
-- n° 2001-495): a line of that size with no act recorded is said
no_convention as (
    select 'subsidy_without_convention', pr.code, 'budget_line', b.id, coalesce(b.label, pr.title),
        cast(b.fiscal_year as varchar)
    from lines as b
    join programme as pr on pr.id = b.programme_id
    where b.kind = 'financial' and b.amount > 23000 and b.act_id is null
),

indicators as (
    select i.*, pr.code as programme_code
    from indicator as i
    join programme as pr on pr.id = i.programme_id
    where (i.archived_on is null or i.archived_on > $as_of)
        and (pr.archived_on is null or pr.archived_on > $as_of)
        and pr.id in (select programme_id from programme_start where starts_on <= $as_of)
        and i.id not in (select entity_id from not_yet('indicator', $as_of))
),

no_baseline as (
    select 'indicator_no_baseline', programme_code, 'indicator', id, code || ' — ' || name, null
    from indicators
    where baseline_value is null
),

no_target as (
    select 'indicator_no_target', programme_code, 'indicator', id, code || ' — ' || name, null
    from indicators as i
    where not exists (
        select 1 from indicator_target as g where g.indicator_id = i.id and g.cancelled_at is null
            and g.recorded_at < $as_of + interval 1 day
    )
),

-- no value for the two periods ended last (a year: the last two years)
stale as (
    select 'indicator_no_recent_value', i.programme_code, 'indicator', i.id,
        i.code || ' — ' || i.name, strftime(max(period_end(v.period_start, i.periodicity)), '%Y-%m-%d')
    from indicators as i
    left join indicator_value as v
        on v.indicator_id = i.id and v.cancelled_at is null
        and period_end(v.period_start, i.periodicity) <= $as_of
    group by all
    having coalesce(max(period_end(v.period_start, i.periodicity)), date '1900-01-01')
        < $as_of - case any_value(i.periodicity) when 'year' then interval 24 month
            when 'semester' then interval 12 month else interval 6 month end
),

no_evidence as (
    select 'question_no_evidence', pr.code, 'eval_question', q.id,
        'Q' || q.position || ' — ' || q.text, null
    from eval_question as q
    join programme as pr on pr.id = q.programme_id
    where (q.archived_on is null or q.archived_on > $as_of)
        and pr.id in (select programme_id from programme_start where starts_on <= $as_of)
        and q.id not in (select entity_id from not_yet('eval_question', $as_of))
        and not exists (
            select 1 from question_evidence as e
            where e.question_id = q.id and e.cancelled_at is null
                and e.recorded_at < $as_of + interval 1 day
        )
),

-- a QPV (or quartier en veille active) an act named without its code: known from its
-- recording, flagged under each programme whose actions, deliverables, budget lines or
-- indicator values use it by then, else once without a programme
codeless as (
    select t.id, t.name
    from territory as t
    where t.code is null and (t.archived_on is null or t.archived_on > $as_of)
        and exists (
            select 1 from audit_log as g
            where g.entity = 'territory' and g.entity_id = cast(t.id as varchar)
                and g.operation in ('create', 'load') and g.occurred_at < $as_of + interval 1 day
        )
),

territory_use as (
    select tg.territory_id, coalesce(a.programme_id, d.programme_id, b.programme_id)
        as programme_id
    from territory_tag as tg
    left join action as a on tg.entity = 'action' and a.id = tg.entity_id
    left join deliverable as d on tg.entity = 'deliverable' and d.id = tg.entity_id
    left join budget_line as b on tg.entity = 'budget_line' and b.id = tg.entity_id
    where tg.cancelled_at is null and tg.recorded_at < $as_of + interval 1 day
    union
    select v.territory_id, i.programme_id
    from indicator_value as v
    join indicator as i on i.id = v.indicator_id
    where v.cancelled_at is null and v.recorded_at < $as_of + interval 1 day
),

no_territory_code as (
    select 'territory_code_unknown', pr.code, 'territory', c.id, c.name, null
    from codeless as c
    left join territory_use as u on u.territory_id = c.id
    left join programme as pr on pr.id = u.programme_id
),

final as (
    select * from signature
    union all select * from term
    union all select * from deliberation
    union all select * from no_deliberation
    union all select * from no_reference
    union all select * from no_representative
    union all select * from late_amendment
    union all select * from missing_amendment
    union all select * from no_amount
    union all select * from basis
    union all select * from no_payment
    union all select * from no_convention
    union all select * from no_baseline
    union all select * from no_target
    union all select * from stale
    union all select * from no_evidence
    union all select * from no_territory_code
)

select * from final
where $programme_code is null or programme_code = $programme_code
order by programme_code, code, entity_id, detail
