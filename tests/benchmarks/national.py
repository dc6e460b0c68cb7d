"""A synthetic "national" data set, clearly fictional, for benchmarks only.

About 500 programmes, 5 000 phases, 20 000 orientations, 200 000 actions, 1 000 000
status events, 100 000 payments, 5 000 meetings and 20 000 decisions, added in bulk
(SQL) on top of the seeded database. Every title says « fictif ». Never used by the
default test run, never written to data/cdv.duckdb.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from dashboard.ingest.seed import initialize
from dashboard.tracker import rollups
from dashboard.tracker.db import Database

SCALE = {
    "programmes": 500,
    "phases_per_programme": 10,
    "orientations_per_phase": 4,
    "actions_per_orientation": 10,
    "committees_per_programme": 2,
    "meetings_per_committee": 5,
    "decisions_per_meeting": 4,
    "budget_lines_per_programme": 5,
    "payments": 100_000,
}
#: « 3x »: the same 502 programmes with three times the actions (so about three times the
#: status events) and three times the payments: what a read that grows with history pays
TRIPLE = {**SCALE, "actions_per_orientation": 30, "payments": 300_000}
GENERATOR_VERSION = "12"

# Each statement adds one table's rows; {base_*} are the ids already used by the seed.
STATEMENTS = [
    """insert into programme (id, code, title, kind, description, version, updated_at, updated_by)
       select {base_programme} + i, 'FICTIF-' || lpad(i::varchar, 4, '0'),
              'Programme fictif n° ' || i, case when i % 2 = 0 then 'evaluation' else 'modernisation' end,
              'Données synthétiques de mesure : aucun fait réel.', 1, now()::timestamp, 'Générateur fictif'
       from range(1, {programmes} + 1) t(i)""",
    """insert into legal_act (id, programme_id, kind, reference, number, title, concluded_on, signed_on,
              effective_rule, effective_on, ends_on, amends_act_id, version, updated_at, updated_by)
       select {base_act} + (p - 1) * 3 + k, {base_programme} + p,
              case when k = 1 then 'agreement' else 'amendment' end,
              case when k = 1 then 'FICTIF/' || p end,
              case when k = 1 then null else k end,
              'Acte fictif ' || k || ' du programme fictif ' || p,
              case when k = 1 then date '2016-01-01' + (p % 700)::int end,
              case when k <> 2 then date '2016-02-01' + (p % 700)::int end,
              'at_signature', case when k <> 2 then date '2016-02-01' + (p % 700)::int end,
              date '2021-12-31' + ((p % 9) * 120 + k * 30)::int,
              case when k = 1 then null else {base_act} + (p - 1) * 3 + 1 end,
              1, now()::timestamp, 'Générateur fictif'
       from range(1, {programmes} + 1) a(p), range(1, 4) b(k)""",
    """insert into clause (act_id, kind, article, days, months, summary, updated_by)
       select {base_act} + a, c.kind, 'Article ' || c.n, c.days, c.months, 'Clause fictive',
              'Générateur fictif'
       from range(1, {programmes} * 3 + 1) t(a),
            (values ('duration', 4, null, null), ('extension_by_amendment', 4, null, null),
                    ('termination_notice', 7, null, 6), ('amicable_settlement', 6, 30, null),
                    ('financing', 2, null, null), ('steering', 3, null, null)) c(kind, n, days, months)""",
    """insert into phase (id, programme_id, number, title, starts_on, ends_on, weight, lead, territory,
              version, updated_at, updated_by)
       select {base_phase} + (p - 1) * {phases_per_programme} + n, {base_programme} + p, n,
              'Phase fictive ' || n || ' du programme ' || p,
              date '2017-01-01' + (n * 90)::int, date '2017-01-01' + (n * 90 + 180)::int,
              1 + (n % 3), 'Responsable fictif ' || (p % 40),
              'Territoire fictif ' || (p % 6), 1, now()::timestamp, 'Générateur fictif'
       from range(1, {programmes} + 1) a(p), range(1, {phases_per_programme} + 1) b(n)""",
    """insert into orientation (id, programme_id, phase_id, position, title, starts_on, ends_on, weight,
              lead, territory, version, updated_at, updated_by)
       select {base_orientation} + (ph - 1) * {orientations_per_phase} + n,
              {base_programme} + ((ph - 1) // {phases_per_programme}) + 1, {base_phase} + ph,
              ((ph - 1) % {phases_per_programme}) * {orientations_per_phase} + n,
              'Orientation fictive ' || n || ' de la phase ' || ph,
              null, null, 1, 'Responsable fictif ' || (ph % 50), 'Territoire fictif ' || (ph % 6),
              1, now()::timestamp, 'Générateur fictif'
       from range(1, {programmes} * {phases_per_programme} + 1) a(ph),
            range(1, {orientations_per_phase} + 1) b(n)""",
    """insert into action (id, programme_id, phase_id, orientation_id, title, starts_on, ends_on,
              weight, lead, territory, version, updated_at, updated_by)
       select {base_action} + (o - 1) * {actions_per_orientation} + n,
              {base_programme} + ((o - 1) // ({orientations_per_phase} * {phases_per_programme})) + 1,
              {base_phase} + ((o - 1) // {orientations_per_phase}) + 1, {base_orientation} + o,
              'Action fictive ' || n || ' de l''orientation ' || o,
              date '2018-01-01' + ((o * 7 + n * 13) % 1500)::int,
              date '2018-01-01' + ((o * 7 + n * 13) % 1500 + 200)::int,
              1, 'Responsable fictif ' || (o % 60), 'Territoire fictif ' || (o % 6),
              1, now()::timestamp, 'Générateur fictif'
       from range(1, {programmes} * {phases_per_programme} * {orientations_per_phase} + 1) a(o),
            range(1, {actions_per_orientation} + 1) b(n)""",
    # 1 to 8 events per item (4.5 on average): about 1 000 000 events, in date order as a
    # log is written
    """insert into status_event (id, item_kind, item_id, occurred_on, from_status, to_status, progress,
              actor, recorded_at)
       with items as (
           select 'phase' as kind, id from phase where id > {base_phase}
           union all select 'orientation', id from orientation where id > {base_orientation}
           union all select 'action', id from action where id > {base_action}
       ), numbered as (
           select kind, id, 1 + hash(kind, id) % 8 as events from items
       ), events as (
           select kind, id, k from numbered, range(1, 9) r(k) where k <= events
       )
       select {base_event} + row_number() over (order by date '2017-01-01' + (k * 45 + id % 300)::int,
                                                    kind, id, k), kind, id,
              date '2017-01-01' + (k * 45 + id % 300)::int,
              case when k = 1 then null
                   else (['planned', 'in_progress', 'in_progress', 'blocked', 'in_progress',
                          'in_progress', 'delivered', 'validated'])[k - 1] end,
              (['planned', 'in_progress', 'in_progress', 'blocked', 'in_progress', 'in_progress',
                'delivered', 'validated'])[k],
              case when k in (2, 3, 5, 6) then (k * 15 + id % 10)::int end,
              'Générateur fictif', now()::timestamp
       from events
       order by 1""",
    # the progress each event found (as the services record it)
    """update status_event set from_progress = prior.progress
       from (select id, last_value(progress ignore nulls) over (
                 partition by item_kind, item_id order by id
                 rows between unbounded preceding and 1 preceding) as progress
             from status_event where id > {base_event}) as prior
       where prior.id = status_event.id and prior.progress is not null""",
    """insert into item_status
       select item_kind, item_id, max(id), arg_max(to_status, id), arg_max(progress, id),
              arg_max(occurred_on, id), arg_max(actor, id),
              min(occurred_on) filter (where to_status = 'in_progress'),
              max(occurred_on) filter (where to_status in ('delivered', 'validated'))
       from status_event where id > {base_event}
       group by item_kind, item_id""",
    """insert into committee (id, programme_id, kind, name, mandate, version, updated_at, updated_by)
       select {base_committee} + (p - 1) * 2 + k, {base_programme} + p,
              case when k = 1 then 'copil' else 'cotech' end,
              'Comité fictif ' || k || ' du programme ' || p, 'Mandat fictif', 1, now()::timestamp,
              'Générateur fictif'
       from range(1, {programmes} + 1) a(p), range(1, {committees_per_programme} + 1) b(k)""",
    """insert into meeting (id, committee_id, held_on, place, recorded_by, recorded_at,
              updated_by)
       select {base_meeting} + (c - 1) * {meetings_per_committee} + n, {base_committee} + c,
              date '2017-06-01' + (n * 200 + c % 90)::int, 'Salle fictive', 'Générateur fictif',
              now()::timestamp, 'Générateur fictif'
       from range(1, {programmes} * {committees_per_programme} + 1) a(c),
            range(1, {meetings_per_committee} + 1) b(n)""",
    """insert into decision (id, meeting_id, kind, text, recorded_by, recorded_at, updated_by)
       select {base_decision} + (m - 1) * {decisions_per_meeting} + n, {base_meeting} + m,
              (['adopts', 'presents', 'other', 'adopts'])[n], 'Décision fictive ' || n,
              'Générateur fictif', now()::timestamp, 'Générateur fictif'
       from range(1, {programmes} * {committees_per_programme} * {meetings_per_committee} + 1) a(m),
            range(1, {decisions_per_meeting} + 1) b(n)""",
    """insert into decision_item (decision_id, item_kind, item_id)
       select d.id, 'phase', {base_phase} + (pr.id - {base_programme} - 1) * {phases_per_programme}
              + 1 + (d.id % {phases_per_programme})
       from decision d join meeting m on m.id = d.meeting_id join committee c on c.id = m.committee_id
       join programme pr on pr.id = c.programme_id
       where d.id > {base_decision}""",
    """insert into budget_line (id, programme_id, fiscal_year, amount, tax_basis, label, version,
              updated_at, updated_by)
       select {base_line} + (p - 1) * {budget_lines_per_programme} + y, {base_programme} + p, 2017 + y,
              (50000 + (p * 997 + y * 131) % 150000)::decimal(14, 2),
              (['HT', 'TTC', 'unspecified'])[1 + (p + y) % 3], 'Ligne fictive ' || (2017 + y), 1,
              now()::timestamp, 'Générateur fictif'
       from range(1, {programmes} + 1) a(p), range(1, {budget_lines_per_programme} + 1) b(y)""",
    """insert into payment (id, budget_line_id, stage, occurred_on, amount, reference, recorded_by,
              recorded_at, updated_by)
       select {base_payment} + i, {base_line} + 1 + (i % ({programmes} * {budget_lines_per_programme})),
              (['commitment', 'payment_order', 'disbursement'])[1 + (i // 2500) % 3],
              date '2018-01-01' + (i % 2000)::int, (100 + i % 900)::decimal(14, 2),
              'PAIEMENT-FICTIF-' || i, 'Générateur fictif', now()::timestamp, 'Générateur fictif'
       from range(1, {payments} + 1) t(i)""",
]
SEQUENCES = {
    "programme": "programme_id_seq",
    "legal_act": "legal_act_id_seq",
    "clause": "clause_id_seq",
    "phase": "phase_id_seq",
    "orientation": "orientation_id_seq",
    "action": "action_id_seq",
    "status_event": "status_event_id_seq",
    "committee": "committee_id_seq",
    "meeting": "meeting_id_seq",
    "decision": "decision_id_seq",
    "budget_line": "budget_line_id_seq",
    "payment": "payment_id_seq",
}
BASES = {
    "base_programme": "programme",
    "base_act": "legal_act",
    "base_phase": "phase",
    "base_orientation": "orientation",
    "base_action": "action",
    "base_event": "status_event",
    "base_committee": "committee",
    "base_meeting": "meeting",
    "base_decision": "decision",
    "base_line": "budget_line",
    "base_payment": "payment",
}


def build(path: Path, scale: dict | None = None) -> Path:
    """Seed, then add the fictional national rows; returns the database path."""
    path.unlink(missing_ok=True)
    with Database(path) as db:
        initialize(db)
        with db.reader() as cur:
            bases = {
                k: cur.execute(f"select coalesce(max(id), 0) from {t}").fetchone()[0]
                for k, t in BASES.items()
            }
            cur.execute("begin transaction")
            for statement in STATEMENTS:
                cur.execute(statement.format(**(scale or SCALE), **bases))
            # advance each sequence past the ids written directly
            for table, sequence in SEQUENCES.items():
                top = cur.execute(f"select coalesce(max(id), 0) from {table}").fetchone()[0]
                current = cur.execute(f"select nextval('{sequence}')").fetchone()[0]
                if top >= current:
                    cur.execute(
                        f"select max(nextval('{sequence}')) from range({top - current + 1})"
                    )
            rollups.refresh_all(cur)  # the rows were written in SQL, not by the services
            cur.execute(
                "insert into app_meta values ('synthetic', 'national-v' || $v)",
                {"v": GENERATOR_VERSION},
            )
            cur.execute("commit")
        db.checkpoint()
    return path


def national_database(folder: Path, triple: bool = False) -> Path:
    """The cached national database (``triple``: its « 3x » version), rebuilt when
    missing or from another generator version."""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "-3x" if triple else ""
    path = folder / f"national-v{GENERATOR_VERSION}{suffix}.duckdb"
    if not path.exists():
        tmp = folder / f"national-building{suffix}.duckdb"
        build(tmp, TRIPLE if triple else SCALE)
        shutil.move(tmp, path)
    return path


def counts(db: Database) -> dict[str, int]:
    with db.reader() as cur:
        return {
            t: cur.execute(f"select count(*) from {t}").fetchone()[0]
            for t in (
                "programme",
                "phase",
                "orientation",
                "action",
                "status_event",
                "payment",
                "meeting",
                "decision",
            )
        }
