-- name: programmes
-- purpose: the programmes with their period as the acts give it (first known act date to last term) and their source
-- params: (none)
with periods as (
    select
        programme_id,
        min(coalesce(concluded_on, signed_on, effective_on)) as starts_on,
        max(ends_on) as ends_on,
        count(*) as acts
    from legal_act
    group by programme_id
),

final as (
    select
        pr.id as programme_id,
        pr.code,
        pr.title,
        pr.kind,
        pr.description,
        p.starts_on,
        p.ends_on,
        coalesce(p.acts, 0) as acts,
        pr.version,
        src.document as source_document,
        src.article as source_article,
        src.excerpt as source_excerpt
    from programme as pr
    left join periods as p on p.programme_id = pr.id
    left join source_ref as src on src.id = pr.source_id
)

select * from final
order by code
