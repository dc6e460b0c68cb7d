-- name: budget_line_records
-- purpose: every budget line not cancelled (superseded ones too, whatever their date) with its programme, act, nature, amount, funder, recipient, action financed, nature of credits, reason of an excess over its article and version, for the forms that correct, supersede or cancel them
-- params: $programme_code (varchar; NULL: every programme)
with final as (
    select
        b.id as budget_line_id,
        pr.code as programme_code,
        b.fiscal_year,
        b.kind,
        b.amount,
        b.tax_basis,
        b.label,
        b.description,
        b.act_id,
        b.funder_id,
        b.recipient_id,
        b.action_id,
        b.funding_nature,
        b.over_act_reason,
        b.supersedes_line_id,
        b.source_id is not null as sourced,
        b.version,
        b.updated_by,
        b.updated_at
    from budget_line as b
    join programme as pr on pr.id = b.programme_id
    where b.cancelled_at is null and ($programme_code is null or pr.code = $programme_code)
)

select * from final
order by programme_code, fiscal_year, budget_line_id
