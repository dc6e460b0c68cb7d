-- name: demo_flag
-- purpose: whether the database is a demonstration one (made by cdv demo, holding fictional records): one row if so, with when it was made; every page then says « données fictives »
-- params: none
select value as made_at from app_meta where key = 'demo_database'
