-- name: acts
-- purpose: the legal acts in order (convention, its avenants, later conventions) with dates, deliberation, parties and source
-- params: $programme_code (varchar; NULL: every programme)
with parties as (
    select
        ap.act_id,
        string_agg(o.name, ' ; ' order by o.id) as parties,
        string_agg(sig.full_name || ' (' || sig.role_title || ')', ' ; ' order by o.id) as signatories
    from act_party as ap
    join organisation as o on o.id = ap.organisation_id
    left join person as sig on sig.id = ap.signatory_id
    group by ap.act_id
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
        a.concluded_on,
        a.signed_on,
        a.effective_rule,
        a.effective_on,
        a.ends_on,
        a.deliberation_body,
        a.deliberation_number,
        a.deliberation_date,
        a.amends_act_id,
        amended.reference as amends_reference,
        p.parties,
        p.signatories,
        a.version,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt,
        coalesce(a.concluded_on, a.signed_on, a.effective_on, a.deliberation_date, a.ends_on) as sort_date
    from legal_act as a
    join programme as pr on pr.id = a.programme_id
    left join legal_act as amended on amended.id = a.amends_act_id
    left join parties as p on p.act_id = a.id
    left join source_ref as src on src.id = a.source_id
    where $programme_code is null or pr.code = $programme_code
)

select * exclude (sort_date)
from final
order by sort_date nulls last, act_id
