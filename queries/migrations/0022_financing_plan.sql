-- Every funder's euros (issue 24, part 3): the financing plan of an action and a year is
-- its budget lines — one per funder, amount, basis (HT / TTC / non précisé), in kind or
-- in cash, committed and paid through the spending chain already recorded — with what
-- was missing to read it by funder and by nature:
-- - organisation.funder_category: which kind of funder it is (État — programme 147 /
--   ANCT, Métropole ou EPCI, commune, Région, Département, CAF, bailleur social —
--   abattement de TFPB —, autre); NULL: « non renseigné »;
-- - budget_line.action_id: the action it finances (NULL: the programme as a whole);
-- - budget_line.funding_nature: 'specific' (crédits spécifiques de la politique de la
--   ville) or 'ordinary' (droit commun); NULL: « non renseigné »;
-- - legal_act.multi_year: the act is a multi-year convention (convention pluriannuelle
--   d'objectifs, CPO); an avenant is read through the act it amends; NULL: not said;
-- - clause.yearly_amount: the amount a financing article allows for one year; lines
--   citing the article beyond it carry budget_line.over_act_reason (flagged, never
--   silently accepted).
-- Nothing existing changes: every budget line and payment keeps its row and its id; the
-- new columns start « non renseigné », except the organisations whose kind already says
-- which funder they are (the État; a bailleur social). The services check the values (DuckDB adds no CHECK with ADD
-- COLUMN).

alter table organisation add column funder_category varchar;
alter table legal_act add column multi_year boolean;
alter table clause add column yearly_amount decimal(14, 2);
alter table budget_line add column action_id integer;
alter table budget_line add column funding_nature varchar;
alter table budget_line add column over_act_reason varchar;

update organisation set funder_category = 'state' where kind = 'state';
update organisation set funder_category = 'social_landlord' where kind = 'housing_provider';
