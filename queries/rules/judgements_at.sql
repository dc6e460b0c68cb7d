-- name: judgements_at
-- purpose: for each evaluative question at a date, the version of its answer in force (the latest validated by a committee meeting held and recorded by then) and the draft known then (the latest version recorded by then and not validated by then)
-- params: as_of (date)
-- uses: none
-- wording: La réponse à une question « au » une date est la dernière version validée par une décision de comité prise et enregistrée à cette date ; une version plus récente, pas encore validée à cette date, est un projet.
create or replace macro judgements_at(as_of) as table
with known as (
    select
        j.id,
        j.question_id,
        j.version_no,
        coalesce(
            j.validated_on <= as_of and cast(j.validated_at as date) <= as_of, false
        ) as validated_then
    from judgement as j
    where j.cancelled_at is null and cast(j.created_at as date) <= as_of
),

ranked as (
    select
        *,
        row_number() over (partition by question_id, validated_then order by version_no desc)
            as rank_in_role
    from known
)

select
    id as judgement_id,
    question_id,
    case when validated_then then 'in_force' else 'draft' end as role
from ranked
where rank_in_role = 1;
