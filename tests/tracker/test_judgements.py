"""Judgements: a draft answer judges each criterion on evidence, a committee decision
validates it and freezes it, a later change is a new version, and « au » a date every
view shows the version in force then."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.tracker import committees, evaluation, fmt, judgements, recommendations
from dashboard.tracker.citation import Source
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.judgements import Evidence
from tests.conftest import ADMIN, LEAD
from tests.helpers import snapshot

EVAL = "EVAL-CDV-2015-2020"
TODAY = dt.date.today()
DOC = Evidence("document", source=Source("Rapport d'étape phase 2", "p. 14",
                                         "les conseils citoyens ont été réunis 3 fois"))  # fmt: skip


def _question(db, criteria: int = 2) -> tuple[int, list[int]]:
    question = evaluation.create_question(db, ADMIN, programme_id=1,
                                          text="Les habitants ont-ils été associés ?")  # fmt: skip
    ids = [evaluation.add_criterion(db, LEAD, question_id=question, text=f"Critère {n}")
           for n in range(1, criteria + 1)]  # fmt: skip
    return question, ids


def _decision(db, held_on: dt.date) -> int:
    committees.record_meeting(db, ADMIN, committee_id=1, held_on=held_on, decisions=[
        committees.DecisionInput("other", "La réponse est validée", [])])  # fmt: skip
    return db.scalar("select max(id) from decision")


def _judged_draft(db, question: int, criteria: list[int], answer: str = "Oui, en partie") -> int:
    draft = judgements.draft_judgement(db, LEAD, question_id=question, answer=answer,
                                       limits="Deux QPV sur neuf observés",
                                       written_on=dt.date(2025, 10, 1))  # fmt: skip
    judgements.judge_criterion(db, LEAD, judgement_id=draft, criterion_id=criteria[0],
                               verdict="partly_met", reasoning="Réunis, peu entendus",
                               strength="medium", strength_reason="Une seule source",
                               evidence=[DOC])  # fmt: skip
    judgements.judge_criterion(db, LEAD, judgement_id=draft, criterion_id=criteria[1],
                               verdict="not_assessable",
                               reasoning="Aucune donnée sur la participation")  # fmt: skip
    return draft


def _version(db, judgement_id: int) -> int:
    return db.scalar("select version from judgement where id = $i", {"i": judgement_id})


def _backdate(db, judgement_id: int, day: dt.date) -> None:
    """As if the version and its judgements had been recorded (and validated) on ``day``."""
    at = dt.datetime.combine(day, dt.time(9))
    with db.transaction() as cur:
        cur.execute("update judgement set created_at = $t, validated_at = case when"
                    " validated_at is null then null else $t end where id = $j",
                    {"t": at, "j": judgement_id})  # fmt: skip
        cur.execute("update criterion_judgement set recorded_at = $t where judgement_id = $j",
                    {"t": at, "j": judgement_id})  # fmt: skip
        cur.execute("update judgement_evidence set recorded_at = $t where criterion_judgement_id"
                    " in (select id from criterion_judgement where judgement_id = $j)",
                    {"t": at, "j": judgement_id})  # fmt: skip


def test_a_draft_judged_on_evidence_is_validated_by_a_decision_and_frozen(db):
    question, criteria = _question(db)
    draft = _judged_draft(db, question, criteria)
    found = judgements.answers(db, EVAL, TODAY)
    version = found.of_question(question, "draft")
    assert (version["version_no"], version["answer"], found.of_question(question, "in_force")) == (
        1,
        "Oui, en partie",
        None,
    )
    judged = found.criteria_of(draft)
    assert [
        (c["criterion_position"], c["verdict"], c["strength"], c["pieces"]) for c in judged
    ] == [(1, "partly_met", "medium", 1), (2, "not_assessable", None, 0)]
    assert judgements.evidence_label(found.evidence_of(judged[0]["id"])[0]) == (
        "Document : Rapport d'étape phase 2, p. 14 — « les conseils citoyens ont été réunis 3 fois »"
    )

    decision = _decision(db, dt.date(2025, 12, 4))
    judgements.validate_judgement(db, LEAD, draft, expected_version=_version(db, draft),
                                  decision_id=decision)  # fmt: skip
    version = judgements.answers(db, EVAL, TODAY).of_question(question, "in_force")
    assert (version["id"], version["validated_on"], version["decision_text"]) == (
        draft,
        dt.date(2025, 12, 4),
        "La réponse est validée",
    )

    before = snapshot(db)
    for attempt in (
        lambda: judgements.update_judgement(db, LEAD, draft, expected_version=_version(db, draft),
                                            answer="Autre chose"),
        lambda: judgements.judge_criterion(db, LEAD, judgement_id=draft, criterion_id=criteria[1],
                                           verdict="met", reasoning="x", strength="weak",
                                           strength_reason="y", evidence=[DOC]),
        lambda: judgements.cancel_judgement(db, LEAD, draft, expected_version=_version(db, draft),
                                            reason="erreur"),
    ):  # fmt: skip
        with pytest.raises(ValidationError, match="figée"):
            attempt()
    assert snapshot(db) == before


def test_a_later_change_is_a_new_version_and_the_past_shows_the_version_in_force_then(db):
    question, criteria = _question(db)
    first = _judged_draft(db, question, criteria)
    judgements.validate_judgement(db, LEAD, first, expected_version=_version(db, first),
                                  decision_id=_decision(db, dt.date(2025, 12, 4)))  # fmt: skip
    _backdate(db, first, dt.date(2025, 12, 4))
    second = judgements.draft_judgement(db, LEAD, question_id=question, answer="Oui",
                                        written_on=dt.date(2026, 1, 5))  # fmt: skip
    # the new draft starts from the version in force: its criteria and evidence
    copied = judgements.answers(db, EVAL, TODAY).criteria_of(second)
    assert [(c["verdict"], c["pieces"]) for c in copied] == [
        ("partly_met", 1),
        ("not_assessable", 0),
    ]
    judgements.judge_criterion(db, LEAD, judgement_id=second, criterion_id=criteria[1],
                               verdict="met", reasoning="Enquête auprès de 120 habitants",
                               strength="strong", strength_reason="Deux sources concordantes",
                               evidence=[DOC, Evidence("decision", decision_id=1)])  # fmt: skip
    judgements.validate_judgement(db, LEAD, second, expected_version=_version(db, second),
                                  decision_id=_decision(db, dt.date(2026, 3, 10)))  # fmt: skip
    _backdate(db, second, dt.date(2026, 3, 10))

    def shown(day: dt.date) -> list[tuple]:
        return [(v["role"], v["version_no"], v["answer"])
                for v in judgements.answers(db, EVAL, day).versions]  # fmt: skip

    assert shown(dt.date(2025, 11, 30)) == []
    assert shown(dt.date(2025, 12, 31)) == [("in_force", 1, "Oui, en partie")]
    assert shown(TODAY) == [("in_force", 2, "Oui")]
    past = judgements.answers(db, EVAL, dt.date(2025, 12, 31))
    assert [c["verdict"] for c in past.criteria_of(first)] == ["partly_met", "not_assessable"]
    now = judgements.answers(db, EVAL, TODAY)
    assert [c["verdict"] for c in now.criteria_of(second)] == ["partly_met", "met"]
    # recording a third draft today changes nothing in force, then or now
    judgements.draft_judgement(db, LEAD, question_id=question, answer="Non")
    assert shown(dt.date(2025, 12, 31)) == [("in_force", 1, "Oui, en partie")]
    assert [r[:2] for r in shown(TODAY)] == [("in_force", 2), ("draft", 3)]


def test_what_a_judgement_needs_is_refused_in_french_and_changes_nothing(db):
    question, criteria = _question(db)
    draft = judgements.draft_judgement(db, LEAD, question_id=question, answer="Oui")
    before = snapshot(db)
    cases = [
        (dict(verdict="met", reasoning="r", strength="strong", strength_reason="s", evidence=[]),
         "au moins une preuve"),
        (dict(verdict="met", reasoning="r", evidence=[DOC]), "Solidité de la preuve"),
        (dict(verdict="met", reasoning="r", strength="strong", evidence=[DOC]), "Raison"),
        (dict(verdict="not_assessable", reasoning=" "), "pas évaluable"),
        (dict(verdict="not_assessable", reasoning="r", strength="weak"), "n'a pas de solidité"),
        (dict(verdict="maybe", reasoning="r"), "Jugement"),
        (dict(verdict="met", reasoning="r", strength="weak", strength_reason="s",
              evidence=[Evidence("indicator", indicator_id=999)]), "indicateur n° 999"),
    ]  # fmt: skip
    for given, message in cases:
        with pytest.raises(ValidationError, match=message):
            judgements.judge_criterion(db, LEAD, judgement_id=draft, criterion_id=criteria[0],
                                       **given)  # fmt: skip
    with pytest.raises(ValidationError, match="il manque C1, C2"):
        judgements.validate_judgement(db, LEAD, draft, expected_version=_version(db, draft),
                                      decision_id=1)  # fmt: skip
    with pytest.raises(ValidationError, match="projet de réponse existe déjà"):
        judgements.draft_judgement(db, LEAD, question_id=question, answer="Encore")
    assert snapshot(db) == before


def test_a_validation_is_dated_after_the_writing_and_by_a_decision_of_the_programme(db):
    question, criteria = _question(db)
    draft = _judged_draft(db, question, criteria)  # written 1 October 2025
    early = _decision(db, dt.date(2025, 9, 1))
    before = snapshot(db)
    with pytest.raises(ValidationError, match="avant la rédaction"):
        judgements.validate_judgement(db, LEAD, draft, expected_version=_version(db, draft),
                                      decision_id=early)  # fmt: skip
    other = db.scalar("select min(c.id) from committee c join programme p on p.id = c.programme_id"
                      " where p.code <> $c", {"c": EVAL})  # fmt: skip
    if other is not None:
        committees.record_meeting(db, ADMIN, committee_id=other, held_on=dt.date(2025, 12, 1),
                                  decisions=[committees.DecisionInput("other", "Autre", [])])  # fmt: skip
        before = snapshot(db)
        with pytest.raises(ValidationError, match="autre programme"):
            judgements.validate_judgement(db, LEAD, draft, expected_version=_version(db, draft),
                                          decision_id=db.scalar("select max(id) from decision"))  # fmt: skip
    assert snapshot(db) == before


def test_the_last_piece_of_evidence_stays_and_the_coverage_counts_values(db):
    question, criteria = _question(db, criteria=1)
    indicator = evaluation.create_indicator(
        db, LEAD, programme_id=1, code="PART-1", name="Habitants aux conseils citoyens",
        unit="personnes", unit_kind="count", direction="up", periodicity="year",
    )  # fmt: skip
    evaluation.record_values(db, LEAD, [
        {"indicator_id": indicator, "period": period, "territory_id": None, "value": value}
        for period, value in (("2019", 40), ("2020", 55))
    ])  # fmt: skip
    draft = judgements.draft_judgement(db, LEAD, question_id=question, answer="Oui")
    judged = judgements.judge_criterion(
        db, LEAD, judgement_id=draft, criterion_id=criteria[0], verdict="met",
        reasoning="La participation progresse", strength="weak", strength_reason="Un indicateur",
        evidence=[Evidence("indicator", indicator_id=indicator, period_from="01/01/2019")],
    )  # fmt: skip
    row = judgements.answers(db, EVAL, TODAY).criteria_of(draft)[0]
    assert (row["values_count"], row["periods"], row["corrected_values"]) == (2, 2, 0)
    assert judgements.coverage_label(row) == (
        "1 preuve(s) de 1 type(s) · 2 valeur(s) sur 1 territoire(s) et 2 période(s)"
    )
    only = db.scalar("select id from judgement_evidence where criterion_judgement_id = $c",
                     {"c": judged})  # fmt: skip
    before = snapshot(db)
    with pytest.raises(ValidationError, match="dernière preuve"):
        judgements.remove_judgement_evidence(db, LEAD, only, reason="doublon")
    assert snapshot(db) == before
    judgements.add_judgement_evidence(db, LEAD, criterion_judgement_id=judged, evidence=DOC)
    judgements.remove_judgement_evidence(db, LEAD, only, reason="doublon")
    row = judgements.answers(db, EVAL, TODAY).criteria_of(draft)[0]
    assert (row["pieces"], row["documents"], row["values_count"]) == (1, 1, 0)


def test_a_recommendation_stems_from_a_judged_criterion_of_its_question(db):
    question, criteria = _question(db)
    draft = _judged_draft(db, question, criteria)
    judged = judgements.answers(db, EVAL, TODAY).criteria_of(draft)[0]["id"]
    rec = recommendations.create_recommendation(
        db, LEAD, programme_id=1, question_id=question, text="Associer les conseils citoyens",
        due_on=dt.date(2026, 6, 30), owner_organisation_id=1, criterion_judgement_id=judged,
    )  # fmt: skip
    row = next(r for r in db.records("recommendations", programme_code=EVAL, as_of=TODAY)
               if r["id"] == rec)  # fmt: skip
    assert (row["criterion_position"], row["criterion_verdict"]) == (1, "partly_met")
    other, _ = _question(db, criteria=0)
    before = snapshot(db)
    with pytest.raises(ValidationError, match="pas un jugement en vigueur de cette question"):
        recommendations.create_recommendation(
            db, LEAD, programme_id=1, question_id=other, text="x", due_on=dt.date(2026, 6, 30),
            owner_organisation_id=1, criterion_judgement_id=judged,
        )  # fmt: skip
    assert snapshot(db) == before


def test_the_answers_are_the_three_named_reads_of_one_date(db):
    question, criteria = _question(db)
    draft = _judged_draft(db, question, criteria)
    found = judgements.answers(db, EVAL, TODAY)
    by_name = {name: db.records(name, programme_code=EVAL, as_of=TODAY)
               for name in ("judgements", "criterion_judgements", "judgement_evidence")}  # fmt: skip
    assert (found.versions, found.criteria, found.evidence) == (
        by_name["judgements"],
        by_name["criterion_judgements"],
        by_name["judgement_evidence"],
    )
    assert [v["id"] for v in found.versions] == [draft]
    assert db.records("judgements", programme_code="MODERN-PV-2022", as_of=TODAY) == []


def test_the_pack_shows_the_answer_in_force_at_the_quarter_end_and_a_later_draft_moves_nothing(db):
    from dashboard.tracker import pack

    question, criteria = _question(db)
    first = _judged_draft(db, question, criteria)
    judgements.validate_judgement(db, LEAD, first, expected_version=_version(db, first),
                                  decision_id=_decision(db, dt.date(2025, 12, 4)))  # fmt: skip
    _backdate(db, first, dt.date(2025, 12, 4))

    def slide(quarter: str):
        built = pack.build(db, quarter, EVAL)
        [found] = [s for s in built.slides if s.key == "answers"]
        [sheet] = [s for s in built.sheets if s.name == "Jugements"]
        return found, sheet

    before, _ = slide("2025-T3")
    assert before.lines == ["Aucune réponse argumentée enregistrée à cette date."]
    after, sheet = slide("2025-T4")
    assert after.table[1] == [
        [
            EVAL,
            "Q1",
            "Oui, en partie",
            "1 partiellement atteint, 1 non évaluable",
            "version 1, validée le 4 décembre 2025 (Comité de pilotage de l'évaluation des "
            "contrats de ville)",
        ]
    ]
    assert [row[6] for row in sheet.rows] == ["partiellement atteint", "non évaluable"]
    judgements.draft_judgement(db, LEAD, question_id=question, answer="Non, finalement")
    again, _ = slide("2025-T4")
    assert (again.lines, again.table) == (after.lines, after.table)
    quarter = (TODAY.month - 1) // 3 + 1
    now, _ = slide(f"{TODAY.year}-T{quarter}")
    end = fmt.date_fr(fmt.quarter_bounds(TODAY.year, quarter)[1])
    assert now.lines == [
        f"1 question(s) avec une réponse validée au {end} · 1 projet(s) de réponse en cours"
    ]
