-- name: acts
-- purpose: the acts in force at a date, in order (convention, its avenants, later conventions): whether it is a multi-year convention, dates, start and how it is known, term as amended then, résiliation, deliberation, parties with their representatives and signatories, source
-- params: $as_of (date), $programme_code (varchar; NULL: every programme)
with parties as (
    select
        ap.act_id,
        string_agg(o.name, ' ; ' order by o.id) as parties,
        string_agg(
            o.name || ' : ' || coalesce(rep.full_name || ' (' || rep.role_title || ')', 'non renseigné'),
            ' ; ' order by o.id
        ) as representatives,
        string_agg(sig.full_name || ' (' || sig.role_title || ')', ' ; ' order by o.id)
            as signatories
    from act_party as ap
    join organisation as o on o.id = ap.organisation_id
    left join person as rep on rep.id = ap.represented_by
    left join person as sig on sig.id = ap.signatory_id
    group by ap.act_id
),

amended as (
    select id, kind, reference, number, ends_on from legal_act
),

final as (
    select
        a.id as act_id,
        pr.code as programme_code,
        pr.title as programme_title,
        a.kind,
        a.reference,
        a.number,
        a.title,
        a.short_name,
        pr.short_name as programme_short_name,
        a.concluded_on,
        a.signed_on,
        a.effective_rule,
        a.effective_on,
        a.starts_on,
        a.start_basis,
        a.ends_on,
        a.term_on,
        a.extended_by,
        a.extends_to,
        a.terminated_on,
        a.termination_reason,
        a.deliberation_body,
        a.deliberation_number,
        a.deliberation_date,
        a.amends_act_id,
        a.framework_act_id,
        a.multi_year,
        am.reference as amends_reference,
        am.kind as amends_kind,
        -- an avenant known to start after the term of the act it amends (its own dates,
        -- or a deliberation authorising it after that term) cannot extend it
        coalesce(a.kind = 'amendment' and am.ends_on is not null and (
            (a.start_basis in ('effective', 'concluded', 'signed') and a.starts_on > am.ends_on)
            or a.deliberation_date > am.ends_on), false) as starts_after_amended_term,
        p.parties,
        p.representatives,
        p.signatories,
        a.version,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from acts_in_force($as_of) as a
    join programme as pr on pr.id = a.programme_id
    left join amended as am on am.id = a.amends_act_id
    left join parties as p on p.act_id = a.id
    left join source_ref as src on src.id = a.source_id
    where $programme_code is null or pr.code = $programme_code
)

select * from final
order by starts_on nulls last, act_id
