-- name: act_parties
-- purpose: the parties to one act, each with who represents it and who signed for it (their ids, as a correction form reads them)
-- params: $act_id (integer)
with final as (
    select ap.act_id, ap.organisation_id, o.name as organisation_name, ap.represented_by,
        ap.signatory_id
    from act_party as ap
    join organisation as o on o.id = ap.organisation_id
    where ap.act_id = $act_id
)

select * from final
order by organisation_name
