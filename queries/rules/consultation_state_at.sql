-- name: consultation_state_at
-- purpose: each consultation on a draft rapport annuel as known at a date: its deadline (the day sent plus its delay of at least one month), and its state then — pending, answered (with the opinion, when the answer came by the deadline), or deemed favourable (silence at the deadline; an answer after it is kept, said late)
-- params: as_of (date)
-- uses: none
-- wording: Chaque conseil consulté dispose d'au moins un mois à compter de l'envoi du projet de rapport ; faute de réponse à l'échéance, son avis est réputé favorable (décret n° 2015-1118 du 3 septembre 2015).
create or replace macro consultation_state_at(as_of) as table
select
    c.*,
    cast(c.sent_on + to_months(c.delay_months) as date) as deadline_on,
    case
        when c.answered_on is not null and c.answered_on <= as_of
            and c.answered_on <= cast(c.sent_on + to_months(c.delay_months) as date)
            then 'answered'
        when cast(c.sent_on + to_months(c.delay_months) as date) < as_of then 'deemed_favourable'
        else 'pending'
    end as state,
    c.answered_on is not null and c.answered_on <= as_of
        and c.answered_on > cast(c.sent_on + to_months(c.delay_months) as date) as answered_late
from annual_report_consultation as c
where c.cancelled_at is null and c.sent_on <= as_of;
