"""Valid calls and bad inputs of the evaluation's write services (territories,
référentiel, values, deliverables, files), merged into service_calls."""

from __future__ import annotations

import datetime as dt

from dashboard.ingest import sheet_import  # noqa: F401 - importing registers the service
from dashboard.tracker import (  # noqa: F401 - importing registers the services
    committees,
    contours,
    deliverables,
    evaluation,
    files,
    judgements,
    recommendations,
    secrecy,
    territories,
)
from dashboard.tracker.citation import Source
from dashboard.tracker.evaluation_report import stored as stored_reports  # noqa: F401 - registers
from dashboard.tracker.files import Upload
from tests.conftest import ADMIN

PDF = b"%PDF-1.4\n% rapport de test\n"
TODAY = dt.date.today()


def _version(db, table: str, row_id: int) -> int:
    return db.scalar(f"select version from {table} where id = $i", {"i": row_id})


def commune(db, code: str = "13055", name: str = "Marseille") -> int:
    return territories.create_territory(db, ADMIN, kind="commune", code=code, name=name)


def qpv(db, code: str = "QN01301M", name: str = "Quartier A", within=()) -> int:
    return territories.create_territory(
        db, ADMIN, kind="qpv", code=code, name=name, generation=2024, within=list(within)
    )


def question(db) -> int:
    return evaluation.create_question(db, ADMIN, programme_id=1, text="La démarche a-t-elle servi ?",
                                      criteria=["Utilité"])  # fmt: skip


def indicator(db, code: str = "I1", unit_kind: str = "count") -> int:
    return evaluation.create_indicator(
        db, ADMIN, programme_id=1, code=code, name="Habitants touchés", unit="personnes",
        unit_kind=unit_kind, direction="up", periodicity="year",
    )  # fmt: skip


def value(db) -> int:
    return evaluation.record_values(
        db, ADMIN, [{"indicator_id": indicator(db), "period": "2023", "value": "12"}]
    )[0]


def deliverable(db) -> int:
    return deliverables.create_deliverable(db, ADMIN, programme_id=1, kind="report",
                                           title="Rapport de phase 1", phase_id=1)  # fmt: skip


def attachment(db) -> int:
    return files.attach_file(db, ADMIN, entity="deliverable", entity_id=deliverable(db),
                             upload=Upload("rapport.pdf", PDF))  # fmt: skip


def evidence(db) -> int:
    return evaluation.add_evidence(db, ADMIN, question_id=question(db), evidence_kind="indicator",
                                   evidence_id=indicator(db))  # fmt: skip


def link(db) -> int:
    return territories.link_territories(db, ADMIN, from_id=qpv(db), to_id=commune(db))


def recommendation(db) -> int:
    return recommendations.create_recommendation(
        db, ADMIN, programme_id=1, question_id=question(db), text="Associer les conseils citoyens",
        due_on=dt.date(2027, 6, 30), owner_organisation_id=1, proposed_on=dt.date(2024, 1, 10),
    )  # fmt: skip


def decision(db) -> int:
    committees.record_meeting(db, ADMIN, committee_id=1, held_on=dt.date(2024, 2, 1), decisions=[
        committees.DecisionInput("other", "La recommandation est retenue", [])])  # fmt: skip
    return db.scalar("select max(id) from decision")


DOCUMENT = judgements.Evidence(
    "document", source=Source("Rapport d'étape", "p. 4", "trois réunions")
)


def draft(db) -> int:
    """A draft answer to a one-criterion question."""
    return judgements.draft_judgement(db, ADMIN, question_id=question(db), answer="En partie",
                                      written_on=dt.date(2024, 1, 5))  # fmt: skip


def _criterion(db, judgement_id: int) -> int:
    return db.scalar("select min(c.id) from eval_criterion c join judgement j on"
                     " j.question_id = c.question_id where j.id = $j", {"j": judgement_id})  # fmt: skip


def judged(db) -> int:
    """A draft whose only criterion is judged on two pieces of evidence."""
    j = draft(db)
    judgements.judge_criterion(
        db, ADMIN, judgement_id=j, criterion_id=_criterion(db, j), verdict="met",
        reasoning="Trois réunions tenues", strength="medium", strength_reason="Une source",
        evidence=[DOCUMENT, judgements.Evidence("deliverable", deliverable_id=deliverable(db))],
    )  # fmt: skip
    return j


def judged_criterion(db) -> int:
    return db.scalar("select max(id) from criterion_judgement where judgement_id = $j",
                     {"j": judged(db)})  # fmt: skip


def piece(db) -> int:
    return db.scalar("select max(id) from judgement_evidence where criterion_judgement_id = $c",
                     {"c": judged_criterion(db)})  # fmt: skip


def _geojson(db) -> bytes:
    """One fictional QPV of 2024 and its contour (drawn at sea)."""
    import json

    qpv(db)
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code_qp": "QN01301M"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[4.6, 42.2], [4.65, 42.2], [4.65, 42.24], [4.6, 42.2]]],
                    },
                }
            ],
        }
    ).encode()


def _with(make, build):
    """A call whose setup (made as administrator) comes first."""
    return lambda db: build(db, make(db))


CSV = b"type;code;nom;generation;situe_dans;successeur\ncommune;13055;Marseille;;;\n"

VALID_CALLS = {
    "create_territory": lambda db: ((), dict(kind="commune", code="13001", name="Aix-en-Provence")),
    "update_territory": _with(commune, lambda db, t: ((t,), dict(
        expected_version=_version(db, "territory", t), name="Marseille (ville)"))),
    "archive_territory": _with(commune, lambda db, t: ((t,), dict(
        expected_version=_version(db, "territory", t), archived_on=TODAY, reason="Fusion"))),
    "link_territories": lambda db: ((), dict(from_id=qpv(db), to_id=commune(db))),
    "unlink_territories": _with(link, lambda db, k: ((k,), dict(reason="Erreur de saisie"))),
    "tag_territories": _with(commune, lambda db, t: ((), dict(
        entity="deliverable", entity_id=deliverable(db), territory_ids=[t]))),
    "load_territories": lambda db: ((), dict(data=CSV)),
    "create_question": lambda db: ((), dict(programme_id=1, text="Question ?", criteria=["C1"])),
    "update_question": _with(question, lambda db, q: ((q,), dict(
        expected_version=_version(db, "eval_question", q), text="Question reformulée ?"))),
    "archive_question": _with(question, lambda db, q: ((q,), dict(
        expected_version=_version(db, "eval_question", q), archived_on=TODAY, reason="Doublon"))),
    "add_criterion": _with(question, lambda db, q: ((), dict(question_id=q, text="Cohérence"))),
    "update_criterion": _with(question, lambda db, q: ((
        db.scalar("select min(id) from eval_criterion where question_id = $q", {"q": q}),),
        dict(expected_version=1, text="Utilité pour les habitants"))),
    "set_answer_state": _with(question, lambda db, q: ((q,), dict(answer_state="in_progress"))),
    "add_evidence": _with(question, lambda db, q: ((), dict(
        question_id=q, evidence_kind="indicator", evidence_id=indicator(db)))),
    "remove_evidence": _with(evidence, lambda db, e: ((e,), dict(reason="Sans rapport"))),
    "create_indicator": lambda db: ((), dict(
        programme_id=1, code="IND-1", name="Part des habitants", unit="%", unit_kind="rate",
        direction="up", periodicity="semester")),
    "update_indicator": _with(indicator, lambda db, i: ((i,), dict(
        expected_version=_version(db, "indicator", i), baseline_value="10",
        baseline_on="2020-12-31", baseline_source="Insee, RP 2020"))),
    "archive_indicator": _with(indicator, lambda db, i: ((i,), dict(
        expected_version=_version(db, "indicator", i), archived_on=TODAY, reason="Abandonné"))),
    "set_target": _with(indicator, lambda db, i: ((), dict(indicator_id=i, period="2024",
                                                           value="150"))),
    "record_values": _with(indicator, lambda db, i: ((), dict(rows=[
        {"indicator_id": i, "period": "2023", "value": "12"},
        {"indicator_id": i, "period": "2024", "value": "15", "source_document": "Bilan 2024",
         "source_page": "4"}]))),
    "correct_value": _with(value, lambda db, v: ((v,), dict(
        expected_version=1, value="13", reason="Erreur de report"))),
    "cancel_value": _with(value, lambda db, v: ((v,), dict(
        expected_version=1, reason="Saisie en double"))),
    "create_deliverable": lambda db: ((), dict(
        programme_id=1, kind="report", title="Rapport final", phase_id=3,
        planned_on="2021-06-30")),
    "update_deliverable": _with(deliverable, lambda db, d: ((d,), dict(
        expected_version=_version(db, "deliverable", d), delivered_on=TODAY))),
    "archive_deliverable": _with(deliverable, lambda db, d: ((d,), dict(
        expected_version=_version(db, "deliverable", d), archived_on=TODAY, reason="Fusionné"))),
    "attach_file": _with(deliverable, lambda db, d: ((), dict(
        entity="deliverable", entity_id=d, upload=Upload("rapport.pdf", PDF)))),
    "detach_file": _with(attachment, lambda db, a: ((a,), dict(reason="Mauvais fichier"))),
    "create_recommendation": _with(question, lambda db, q: ((), dict(
        programme_id=1, question_id=q, text="Publier les résultats", due_on="2027-12-31",
        owner_person_id=1))),
    "update_recommendation": _with(recommendation, lambda db, r: ((r,), dict(
        expected_version=1, due_on="2028-06-30", reason="Report décidé"))),
    "set_recommendation_status": _with(recommendation, lambda db, r: ((r,), dict(
        status="adopted", decision_id=decision(db)))),
    "cancel_recommendation": _with(recommendation, lambda db, r: ((r,), dict(
        expected_version=1, reason="Saisie en double"))),
    "draft_judgement": _with(question, lambda db, q: ((), dict(
        question_id=q, answer="Oui, en partie", limits="Deux quartiers observés"))),
    "update_judgement": _with(draft, lambda db, j: ((j,), dict(
        expected_version=1, answer="Oui, largement"))),
    "judge_criterion": _with(draft, lambda db, j: ((), dict(
        judgement_id=j, criterion_id=_criterion(db, j), verdict="partly_met",
        reasoning="Réunions tenues, avis peu suivis", strength="weak",
        strength_reason="Une seule source", evidence=[DOCUMENT]))),
    "add_judgement_evidence": _with(judged_criterion, lambda db, c: ((), dict(
        criterion_judgement_id=c, evidence=judgements.Evidence("decision",
                                                               decision_id=decision(db))))),
    "remove_judgement_evidence": _with(piece, lambda db, p: ((p,), dict(reason="Doublon"))),
    "validate_judgement": _with(judged, lambda db, j: ((j,), dict(
        expected_version=1, decision_id=decision(db)))),
    "cancel_judgement": _with(draft, lambda db, j: ((j,), dict(
        expected_version=1, reason="Saisi en double"))),
    "set_secret_threshold": lambda db: ((), dict(value="5")),
    "upload_contours": lambda db: ((), dict(
        kind="qpv", generation=2024, source_document="Contours fictifs", vintage="fictif",
        upload=Upload("qpv.geojson", _geojson(db)))),
    "validate_report": lambda db: ((), dict(
        programme_code="EVAL-CDV-2015-2020", as_of="2024-01-31", decision_id=decision(db))),
    "import_sheet": lambda db: ((), dict(kind="payments", file_name="paiements.csv", data=(
        b"programme;exercice;etape;date;montant\nMODERN-PV-2022;2022;engagement;15/03/2022;1 000\n"
    ))),
}  # fmt: skip

BAD_INPUTS = {
    "create_territory": [
        ({"kind": "quartier"}, "Valeur inconnue"),
        ({"code": "123"}, "code INSEE"),
        ({"kind": "qpv", "code": "QN01301M", "generation": 2019}, "2015 ou 2024"),
        ({"name": ""}, "obligatoire"),
    ],
    "update_territory": [({"name": ""}, "obligatoire"), ({"code": "abc"}, "code INSEE")],
    "archive_territory": [({"reason": ""}, "obligatoire")],
    "link_territories": [({"kind": "succeeded_by"}, "successeur"), ({"to_id": 999}, "n'existe pas")],
    "unlink_territories": [({"reason": ""}, "obligatoire")],
    "tag_territories": [
        ({"entity": "payment"}, "Valeur inconnue"),
        ({"territory_ids": [999]}, "n'existe pas"),
    ],
    "load_territories": [
        ({"data": b""}, "vide"),
        ({"data": b"type;code;nom\nville;1;X\n"}, "ligne 2 : type inconnu"),
        ({"data": b"type;code;nom\xff\n"}, "colonnes manquantes"),
        ({"data": b"type;code;nom;generation;situe_dans\nqpv;QN01301M;A;2024;99999\n"},
         "introuvable"),
    ],
    "create_question": [({"text": ""}, "obligatoire"), ({"programme_id": 99}, "n'existe pas")],
    "update_question": [({"text": " "}, "obligatoire"), ({"expected_version": 7}, "modifiée")],
    "archive_question": [({"reason": ""}, "obligatoire")],
    "add_criterion": [({"text": ""}, "obligatoire")],
    "update_criterion": [({"text": ""}, "obligatoire")],
    "set_answer_state": [
        ({"answer_state": "finie"}, "Valeur inconnue"),
        ({"answer_state": "answered", "answer": "Oui"}, "au moins un indicateur"),
        ({"answer_state": "answered"}, "écrivez la réponse"),
    ],
    "add_evidence": [({"evidence_kind": "paiement"}, "Valeur inconnue"),
                     ({"evidence_id": 999}, "n'existe pas")],
    "remove_evidence": [({"reason": ""}, "obligatoire")],
    "create_indicator": [
        ({"unit_kind": "pourcentage"}, "Valeur inconnue"),
        ({"baseline_value": "12"}, "se date et se source"),
        ({"orientation_id": 1, "action_id": 1}, "un seul des trois"),
        ({"unit": None}, "obligatoire"),
    ],
    "update_indicator": [({"baseline_value": "1.000"}, "ambigu"),
                         ({"direction": "haut"}, "Valeur inconnue")],
    "archive_indicator": [({"reason": ""}, "obligatoire")],
    "set_target": [({"period": "S1 2024"}, "période"), ({"value": "beaucoup"}, "nombre")],
    "record_values": [
        ({"rows": []}, "Aucune valeur"),
        ({"rows": [{"indicator_id": 999, "period": "2023", "value": 1}]}, "ligne 1 : l'indicateur"),
        ({"rows": [{"indicator_id": 1, "period": "2023", "value": "12,5,0"}]}, "ligne 1"),
    ],
    "correct_value": [({"reason": ""}, "obligatoire"), ({"value": "x"}, "nombre"),
                      ({"expected_version": 3}, "modifiée")],
    "cancel_value": [({"reason": ""}, "obligatoire")],
    "create_deliverable": [
        ({"phase_id": None}, "une seule"),
        ({"kind": "film"}, "Valeur inconnue"),
        ({"delivered_on": "2099-01-01"}, "futur"),
    ],
    "update_deliverable": [({"title": ""}, "obligatoire"), ({"delivered_on": "2099-01-01"}, "futur")],
    "archive_deliverable": [({"reason": ""}, "obligatoire")],
    "attach_file": [
        ({"upload": Upload("virus.exe", b"MZ\x90\x00")}, "type accepté"),
        ({"upload": Upload("vide.pdf", b"")}, "vide"),
        ({"entity": "payment"}, "Valeur inconnue"),
    ],
    "detach_file": [({"reason": ""}, "obligatoire")],
    "import_sheet": [
        ({"kind": "budgets"}, "Type d'import inconnu"),
        ({"data": b""}, "vide"),
        ({"data": b"programme;exercice;etape;date;montant\nMODERN-PV-2022;2022;engagement;"
                  b"15/03/2022;12,5,0\n"}, "ligne 2 : montant invalide"),
        ({"file_name": "paiements.ods"}, "Format non pris en charge"),
        ({"mapping": {"programme": 0}}, "sans correspondance"),
    ],
    "create_recommendation": [
        ({"owner_person_id": None}, "un responsable"),
        ({"due_on": "31/02/2027"}, "pas une date valide"),
        ({"question_id": 999}, "n'existe pas"),
        ({"text": " "}, "obligatoire"),
    ],
    "update_recommendation": [({"text": ""}, "obligatoire"), ({"expected_version": 9}, "modifiée")],
    "set_recommendation_status": [
        ({"status": "implemented", "decision_id": None}, "Preuve de la mise en œuvre"),
        ({"status": "adopted", "decision_id": None}, "retenue par une décision"),
        ({"status": "finie"}, "Valeur inconnue"),
    ],
    "cancel_recommendation": [({"reason": ""}, "obligatoire")],
    "draft_judgement": [({"answer": " "}, "obligatoire"), ({"question_id": 999}, "n'existe pas"),
                        ({"written_on": "2099-01-01"}, "au plus tard aujourd'hui")],
    "update_judgement": [({"answer": ""}, "obligatoire"), ({"expected_version": 9}, "modifiée")],
    "judge_criterion": [
        ({"evidence": []}, "au moins une preuve"),
        ({"strength": None}, "Solidité de la preuve"),
        ({"verdict": "bof"}, "Valeur inconnue"),
        ({"evidence": [judgements.Evidence("deliverable", deliverable_id=999)]}, "n'existe pas"),
    ],
    "add_judgement_evidence": [
        ({"evidence": judgements.Evidence("document")}, "un titre et une page"),
        ({"criterion_judgement_id": 999}, "n'existe pas"),
    ],
    "remove_judgement_evidence": [({"reason": ""}, "obligatoire")],
    "validate_judgement": [({"decision_id": None}, "choisissez-la"),
                           ({"decision_id": 999}, "introuvable")],
    "cancel_judgement": [({"reason": ""}, "obligatoire")],
    "set_secret_threshold": [({"value": "onze"}, "nombre entier"), ({"value": 0}, "entre 1")],
    "upload_contours": [
        ({"upload": Upload("x.geojson", b"{")}, "pas un GeoJSON lisible"),
        ({"generation": 2015}, "parmi les QPV 2015"),
        ({"kind": "canton"}, "Valeur inconnue"),
        ({"vintage": ""}, "obligatoire"),
    ],
    "validate_report": [({"decision_id": None}, "choisissez-la"),
                        ({"as_of": "2024-03-01"}, "précède la date du rapport"),
                        ({"as_of": "31/02/2024"}, "pas une date valide")],
}  # fmt: skip
