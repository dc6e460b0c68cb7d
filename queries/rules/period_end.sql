-- name: period_end
-- purpose: the last day of an indicator's period: a measured value counts from that day on
-- params: period_start (date), periodicity (varchar)
-- uses: none
-- wording: Une valeur d'indicateur compte à partir du dernier jour de sa période.
-- the last day of an indicator's period: a measured value counts from that day on
create or replace macro period_end(period_start, periodicity) as
    cast(period_start + case periodicity when 'year' then interval 12 month
        when 'semester' then interval 6 month else interval 3 month end
        - interval 1 day as date);
