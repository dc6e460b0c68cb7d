-- name: deadlines
-- purpose: the dates that matter at a date, computed from the acts in force then and their clauses, and from the rapports annuels' process, each with the rule it follows: each term (as extended by avenants in force; with the article of a clause allowing an extension by avenant, which sets no date of its own), the end of the amicable settlement after a registered letter (undated until one is received), the date a résiliation takes effect (undated until a letter is sent), the « compte rendu financier » of each funded year (six months after its end; met once a file is attached to the year's line), each opinion awaited on a draft rapport annuel (one month or more after it was sent; met by the answer, or by the silence that counts as favourable at the deadline), the planned deliberation approving it and its planned publication (met when dated)
-- params: $as_of (date), $programme_code (varchar; NULL: every programme), $next_only (boolean, optional: only each programme's next dated deadline from $as_of on)
with acts as (
    select a.*, pr.code as programme_code, pr.title as programme_title
    from acts_in_force($as_of) as a
    join programme as pr on pr.id = a.programme_id
    where $programme_code is null or pr.code = $programme_code
),

-- the clauses in force for each chosen act: its own, and those its avenants in force add
-- (an avenant belongs to its convention's programme), minus those they replace
clauses as (
    select c.*, coalesce(c.target_act_id, c.act_id) as applies_to
    from clause as c
    where c.cancelled_at is null
        and coalesce(c.target_act_id, c.act_id) in (select id from acts)
        and (c.target_act_id is null or c.act_id in (select id from acts))
        and c.id not in (
            select r.replaces_clause_id from clause as r
            where r.replaces_clause_id is not null and r.cancelled_at is null
                and r.act_id in (select id from acts)
        )
),

letters as (
    select *
    from act_letter
    where cancelled_at is null and sent_on <= $as_of
),

duration_clause as (
    select applies_to as act_id, min(id) as clause_id
    from clauses
    where kind = 'duration'
    group by applies_to
),

-- the first clause each avenant brings to each act (the one that extends its term)
added_clause as (
    select applies_to, act_id, min(id) as clause_id
    from clauses
    group by applies_to, act_id
),

terms as (
    select
        a.term_on as due_on,
        'term' as kind,
        a.id as act_id,
        coalesce(ac.clause_id, dc.clause_id) as clause_id,
        cast(null as integer) as letter_id
    from acts as a
    left join duration_clause as dc on dc.act_id = a.id
    left join added_clause as ac on ac.applies_to = a.id and ac.act_id = a.extended_by
    where a.term_on is not null and a.terminated_on is null
),

-- a clause allowing an extension by avenant dates nothing: it is said with the term
extendable as (
    select applies_to as act_id, min(article) as article
    from clauses
    where kind = 'extension_by_amendment'
    group by applies_to
),

settlement as (
    select
        cast(l.received_on + to_days(coalesce(c.days, 0)) + to_months(coalesce(c.months, 0)) as date),
        'amicable_settlement_delay',
        a.id,
        c.id,
        l.id
    from clauses as c
    join acts as a on a.id = c.applies_to
    left join letters as l on l.act_id = a.id and l.kind = 'dispute'
    where c.kind = 'amicable_settlement'
),

termination as (
    select
        coalesce(
            a.terminated_on,
            cast(l.sent_on + to_months(coalesce(c.months, 0)) + to_days(coalesce(c.days, 0)) as date)
        ),
        'termination_effective',
        a.id,
        c.id,
        l.id
    from clauses as c
    join acts as a on a.id = c.applies_to
    left join letters as l on l.act_id = a.id and l.kind = 'termination'
    where c.kind = 'termination_notice'
),

-- a subsidy's « compte rendu financier » is due within six months of the end of the
-- financed year (loi n° 2000-321 du 12 avril 2000, art. 10): one per act and funded year
financial_report as (
    select
        make_date(b.fiscal_year + 1, 6, 30),
        'financial_report',
        b.act_id,
        cast(null as integer),
        cast(null as integer)
    from budget_lines_in_force($as_of) as b
    where b.cancelled_at is null and b.kind = 'financial' and b.amount is not null
        and b.act_id in (select id from acts)
    group by b.act_id, b.fiscal_year
),

-- met once a file is attached to a line of that act and year, recorded by then
reported as (
    select b.act_id, b.fiscal_year, min(cast(f.recorded_at as date)) as met_on
    from attachment as f
    join budget_line as b on f.entity = 'budget_line' and b.id = f.entity_id
    where f.cancelled_at is null and cast(f.recorded_at as date) <= $as_of
    group by b.act_id, b.fiscal_year
),

all_deadlines as (
    select * from terms
    union all select * from settlement
    union all select * from termination
    union all select * from financial_report
),

final as (
    select
        d.due_on,
        d.kind,
        a.programme_code,
        a.programme_title,
        a.id as act_id,
        a.kind as act_kind,
        a.number as act_number,
        a.reference as act_reference,
        am.reference as amends_reference,
        a.title as act_title,
        a.short_name as act_short_name,
        a.term_on as act_ends_on,
        a.extended_by,
        c.id as clause_id,
        c.article as clause_article,
        c.days,
        c.months,
        d.letter_id,
        l.sent_on as letter_sent_on,
        l.received_on as letter_received_on,
        case when d.kind = 'term' then x.article end as extension_article,
        case when d.kind = 'financial_report' then year(d.due_on) - 1 end as fiscal_year,
        case when d.kind = 'financial_report' then r.met_on end as met_on,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from all_deadlines as d
    join acts as a on a.id = d.act_id
    left join legal_act as am on am.id = a.amends_act_id
    left join clause as c on c.id = d.clause_id
    left join letters as l on l.id = d.letter_id
    left join extendable as x on x.act_id = d.act_id
    left join reported as r on r.act_id = d.act_id and d.kind = 'financial_report'
        and r.fiscal_year = year(d.due_on) - 1
    left join source_ref as src on src.id = coalesce(c.source_id, a.source_id)
),

-- the rapport annuel's steps: each opinion awaited, the deliberation and the publication
report_steps as (
    select
        c.deadline_on as due_on,
        'annual_report_opinion' as kind,
        pr.code as programme_code,
        pr.title as programme_title,
        r.year as report_year,
        c.id as step_id,
        coalesce(o.name, cc.name) as consulted_body,
        case when c.state = 'answered' then c.answered_on
            when c.state = 'deemed_favourable' then c.deadline_on end as met_on,
        c.state as consultation_state
    from consultation_state_at($as_of) as c
    join annual_report as r on r.id = c.report_id and r.cancelled_at is null
    join programme as pr on pr.id = r.programme_id
    left join organisation as o on o.id = c.organisation_id
    left join citizen_council as cc on cc.id = c.council_id
    where $programme_code is null or pr.code = $programme_code
    union all
    select
        r.planned_approval_on, 'annual_report_approval', pr.code, pr.title, r.year, r.id, null,
        case when r.approved_on <= $as_of then r.approved_on end, null
    from annual_report as r
    join programme as pr on pr.id = r.programme_id
    where r.cancelled_at is null and r.planned_approval_on is not null
        and cast(r.created_at as date) <= $as_of
        and ($programme_code is null or pr.code = $programme_code)
    union all
    select
        r.planned_publication_on, 'annual_report_publication', pr.code, pr.title, r.year, r.id,
        null, case when r.published_on <= $as_of then r.published_on end, null
    from annual_report as r
    join programme as pr on pr.id = r.programme_id
    where r.cancelled_at is null and r.planned_publication_on is not null
        and cast(r.created_at as date) <= $as_of
        and ($programme_code is null or pr.code = $programme_code)
),

everything as (
    select * from final
    union all by name
    select * from report_steps
)

select * from everything
where not coalesce($next_only, false) or due_on >= $as_of
qualify not coalesce($next_only, false)
    or row_number() over (partition by programme_code order by due_on, kind, act_id, step_id) = 1
order by due_on nulls last, programme_code, kind, act_id, step_id
