"""One valid call of every write service on the seeded database, and bad inputs
for each: shared by the role matrix and the bad-input tests."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import (  # noqa: F401 - importing registers the services
    acts,
    budget,
    committees,
    existence,
    programmes,
    status,
    users,
    work,
)
from dashboard.tracker.citation import Source
from dashboard.tracker.origins import Origin
from tests.conftest import ADMIN

DAY = dt.date(2024, 2, 1)
SOURCE = Source("Note interne", "§ 1", "Un extrait")


def _version(db, table: str, row_id: int) -> int:
    return db.scalar(f"select version from {table} where id = $i", {"i": row_id})


def _own_accounts(db) -> str:
    """An account for each role's actor of the matrix (``user-<role>``), all with a
    provisional password, which is returned (the current one)."""
    from dashboard.tracker.access import ROLES

    for role in ROLES:
        users.add_user(db, ADMIN, login=f"user-{role}", display_name=role, role=role,
                       password="provisoire-donne")  # fmt: skip
    return "provisoire-donne"


def _user(db) -> str:
    users.add_user(
        db,
        ADMIN,
        login="cible",
        display_name="Cible",
        role="lecteur",
        password="mot-de-passe-solide",
        provisional=False,
    )
    return "cible"


def _latest(db, kind: str, item: int) -> int | None:
    latest = status.current_status(db, kind, item)
    return latest["id"] if latest else None


#: service name -> function(db) -> (args, kwargs) of a call that succeeds for an allowed role
VALID_CALLS = {
    "create_programme": lambda db: (
        (),
        dict(code="NOUVEAU", title="Nouveau programme", kind="other"),
    ),
    "update_programme": lambda db: (
        (1,),
        dict(expected_version=_version(db, "programme", 1), description="Description mise à jour"),
    ),
    "link_programmes": lambda db: ((), dict(from_programme_id=2, to_programme_id=1)),
    "add_programme_note": lambda db: ((), dict(programme_id=1, title="Note", body="Texte")),
    "create_organisation": lambda db: ((), dict(code="ETAT", name="État", kind="state")),
    "create_person": lambda db: (
        (),
        dict(full_name="Jeanne Test", organisation_id=1, role_title="Cheffe"),
    ),
    "create_act": lambda db: (
        (),
        dict(
            programme_id=1,
            kind="amendment",
            number=3,
            amends_act_id=1,
            title="Avenant n° 3",
            source=SOURCE,
        ),
    ),
    "update_act": lambda db: (
        (3,),
        dict(
            expected_version=_version(db, "legal_act", 3),
            signed_on=dt.date(2022, 3, 1),
            reason="Date de signature trouvée sur l'exemplaire signé",
        ),
    ),
    "add_act_party": lambda db: (
        (),
        dict(
            act_id=1,
            organisation_id=programmes.create_organisation(
                db, ADMIN, code="TIERS", name="Tiers", kind="other"
            ),
        ),
    ),
    "add_clause": lambda db: (
        (),
        dict(act_id=3, kind="termination_notice", article="Article 8", days=90, summary="Préavis"),
    ),
    "create_phase": lambda db: ((), dict(programme_id=2, number=1, title="Phase nouvelle")),
    "update_phase": lambda db: ((2,), dict(expected_version=_version(db, "phase", 2), lead="Léa")),
    "create_orientation": lambda db: (
        (),
        dict(programme_id=1, phase_id=3, title="Orientation nouvelle"),
    ),
    "update_orientation": lambda db: (
        (5,),
        dict(expected_version=_version(db, "orientation", 5), territory="Pays Salonais"),
    ),
    "create_action": lambda db: (
        (),
        dict(orientation_id=5, title="Action nouvelle", starts_on=DAY),
    ),
    "update_action": lambda db: (
        (work.create_action(db, ADMIN, orientation_id=5, title="A"),),
        dict(expected_version=1, title="A modifiée"),
    ),
    "set_action_axes": lambda db: (
        (work.create_action(db, ADMIN, orientation_id=5, title="A"),),
        dict(axes=["Cohésion sociale", "Cadre de vie et renouvellement urbain"]),
    ),
    "set_origin": lambda db: (
        ("orientation", 5),
        dict(
            origin=Origin(stated_on=dt.date(2021, 6, 1), reason="Annoncée au comité de juin 2021")
        ),
    ),
    "change_status": lambda db: (
        ("phase", 2),
        dict(to_status="blocked", seen_event_id=_latest(db, "phase", 2)),
    ),
    "create_committee": lambda db: ((), dict(programme_id=2, kind="copil", name="COPIL 2022")),
    "update_committee": lambda db: (
        (2,),
        dict(
            expected_version=_version(db, "committee", 2),
            name="Comité technique (modernisation)",
            reason="Nom d'usage",
        ),
    ),
    "record_meeting": lambda db: (
        (),
        dict(
            committee_id=2,
            held_on=DAY,
            place="Marseille",
            decisions=[
                committees.DecisionInput("adopts", "Orientations adoptées", [("orientation", 5)])
            ],
        ),
    ),
    "add_decision": lambda db: (
        (),
        dict(meeting_id=1, decision=committees.DecisionInput("other", "Relevé complémentaire")),
    ),
    "create_budget_line": lambda db: (
        (),
        dict(programme_id=1, fiscal_year=2019, amount="25 000,00", tax_basis="HT"),
    ),
    "update_budget_line": lambda db: (
        (1,),
        dict(expected_version=_version(db, "budget_line", 1), label="Participation 2020"),
    ),
    "record_payment": lambda db: (
        (),
        dict(budget_line_id=2, stage="commitment", occurred_on=DAY, amount="40 000"),
    ),
    "add_user": lambda db: (
        (),
        dict(
            login="nouvelle",
            display_name="Nouvelle",
            role="contributeur",
            password="une-phrase-de-passe",
        ),
    ),
    "set_role": lambda db: ((), dict(login=_user(db), role="contributeur")),
    "reset_password": lambda db: ((), dict(login=_user(db), password="autre-phrase-de-passe")),
    "set_active": lambda db: ((), dict(login=_user(db), active=False)),
    "change_own_password": lambda db: ((), dict(current=_own_accounts(db), new="ma-phrase-a-moi")),
    "update_account": lambda db: ((), dict(login=_user(db), role="contributeur", active=True)),
}

LONG = "x" * 10_000

#: service name -> list of (kwargs overriding the valid call, expected message fragment)
BAD_INPUTS = {
    "create_programme": [
        ({"title": ""}, "obligatoire"),
        ({"title": LONG}, "dépasse"),
        ({"code": "x y"}, "code"),
        ({"code": "EVAL-CDV-2015-2020"}, "déjà utilisé"),
        ({"kind": "inconnu"}, "Valeur inconnue"),
    ],
    "update_programme": [
        ({"title": "   "}, "obligatoire"),
        ({"expected_version": "abc"}, "entier"),
    ],
    "link_programmes": [
        ({"to_programme_id": 2}, "lui-même"),
        ({"from_programme_id": 999}, "n'existe pas"),
        ({"from_programme_id": 1, "to_programme_id": 2}, "existe déjà"),
    ],
    "add_programme_note": [
        ({"body": ""}, "obligatoire"),
        ({"programme_id": 0}, "identifiant invalide"),
    ],
    "create_organisation": [({"name": LONG}, "dépasse"), ({"kind": "secte"}, "Valeur inconnue")],
    "create_person": [
        ({"organisation_id": 99}, "n'existe pas"),
        ({"full_name": None}, "obligatoire"),
    ],
    "create_act": [
        ({"amends_act_id": None}, "l'acte qu'il modifie"),
        ({"number": 2}, "existe déjà"),
        ({"amends_act_id": 2}, "pas un avenant"),
        ({"signed_on": "2023-05-01", "ends_on": "2023-01-01"}, "précède"),
        ({"signed_on": "31/02/2023"}, "date valide"),
        ({"programme_id": "un"}, "identifiant invalide"),
    ],
    "update_act": [
        ({"signed_on": "2023-01-15"}, "précède"),
        ({"ends_on": "demain"}, "date valide"),
        ({"color": "bleu"}, "inconnu"),
    ],
    "add_act_party": [
        ({"organisation_id": 1}, "déjà partie"),
        ({"act_id": -1}, "identifiant invalide"),
    ],
    "add_clause": [
        ({"kind": "termination_notice", "days": None}, "préavis"),
        ({"days": -3}, "entre 0"),
        ({"article": ""}, "obligatoire"),
    ],
    "create_phase": [
        ({"number": 0}, "entre 1"),
        ({"programme_id": 1, "number": 2}, "existe déjà"),
        ({"title": "<script>" + LONG}, "dépasse"),
        ({"starts_on": "2024-05-01", "ends_on": "2024-04-01"}, "précède"),
        ({"weight": "-1"}, "positif"),
    ],
    "update_phase": [
        ({"title": ""}, "obligatoire"),
        ({"expected_version": 0}, "au moins 1"),
        ({"ends_on": "2024-01-01", "starts_on": "2024-02-01"}, "précède"),
    ],
    "create_orientation": [
        ({"phase_id": 999}, "n'existe pas"),
        ({"programme_id": 2}, "autre programme"),
    ],
    "update_orientation": [({"weight": "abc"}, "nombre")],
    "create_action": [
        ({"orientation_id": None}, "choisissez-en un"),
        ({"phase_id": 1}, "un seul"),
        ({"title": "\x00"}, "caractère de contrôle"),
    ],
    "update_action": [({"starts_on": "2024-13-01"}, "date valide")],
    "set_action_axes": [
        ({"axes": "Cohésion sociale"}, "liste"),
        ({"axes": [""]}, "obligatoire"),
        ({"axes": ["x" * 201]}, "dépasse"),
        ({"axes": []}, "Rien à enregistrer"),
    ],
    "set_origin": [
        ({"origin": Origin(stated_on=dt.date(2021, 6, 1))}, "motif"),
        ({"origin": Origin(stated_on=dt.date(2099, 1, 1), reason="x")}, "futur"),
        ({"origin": Origin(act_id=999_999)}, "n'existe pas"),
        (
            {"origin": Origin(act_id=1, stated_on=dt.date(2021, 6, 1), reason="x")},
            "choisissez-en une",
        ),
    ],
    "change_status": [
        ({"to_status": "terminé"}, "Statut"),
        ({"progress": "beaucoup"}, "entier"),
        ({"to_status": "validated"}, "décision qui valide"),
        ({"comment": LONG}, "dépasse"),
    ],
    "create_committee": [({"kind": "bureau"}, "Valeur inconnue"), ({"name": ""}, "obligatoire")],
    "update_committee": [({"name": " "}, "obligatoire")],
    "record_meeting": [
        ({"held_on": "2099-01-01"}, "pas encore eu lieu"),
        ({"held_on": "2099-01-01", "minutes": LONG}, "dépasse"),
        ({"held_on": None}, "obligatoire"),
        ({"decisions": [committees.DecisionInput("validates", "x", [])]}, "indique les éléments"),
        (
            {"decisions": [committees.DecisionInput("adopts", "x", [("phase", 1)])]},
            "n'appartient pas",
        ),
        ({"minutes": LONG}, "dépasse"),
    ],
    "add_decision": [
        ({"meeting_id": 42}, "n'existe pas"),
        ({"decision": committees.DecisionInput("other", "")}, "obligatoire"),
    ],
    "create_budget_line": [
        ({"amount": "-50"}, "positif"),
        ({"amount": "abc"}, "nombre"),
        ({"amount": "10,001"}, "ambigu"),
        ({"amount": "10,0001"}, "centime"),
        ({"fiscal_year": 1890}, "entre 2000"),
        ({"tax_basis": "HTT"}, "Valeur inconnue"),
        ({"amount": "1e400"}, "nombre"),
    ],
    "update_budget_line": [
        ({"amount": "-1"}, "positif"),
        ({"expected_version": 99}, "modifiée par"),
    ],
    "record_payment": [
        ({"amount": "0"}, "strictement positif"),
        ({"stage": "payment_order"}, "dépasserait"),
        ({"amount": "150 000"}, "motif du dépassement"),
        ({"occurred_on": "2099-01-01"}, "futur"),
        ({"occurred_on": "2999-01-01"}, "hors de la période"),
        ({"budget_line_id": 77}, "n'existe pas"),
    ],
    "add_user": [
        ({"password": "court"}, "12 caractères"),
        ({"login": "Jean Dupont"}, "identifiant"),
        ({"role": "root"}, "Valeur inconnue"),
    ],
    "set_role": [({"role": "chef"}, "Valeur inconnue"), ({"login": "personne"}, "Aucun compte")],
    "reset_password": [({"password": "1234"}, "12 caractères")],
    "change_own_password": [
        ({"current": "pas-le-bon-mot"}, "actuel est inexact"),
        ({"new": "provisoire-donne"}, "doit différer"),
        ({"new": "court"}, "12 caractères"),
    ],
    "set_active": [({"active": "peut-être"}, "oui ou non")],
    "update_account": [
        ({"active": "oui"}, "oui ou non"),
        ({"role": "chef"}, "Valeur inconnue"),
        ({"password": "court"}, "12 caractères"),
        ({"login": "personne"}, "Aucun compte"),
    ],
}


def _two_actions(db) -> list[dict]:
    first = work.create_action(db, ADMIN, orientation_id=5, title="Lot A")
    second = work.create_action(db, ADMIN, orientation_id=5, title="Lot B")
    return [
        {"action_id": first, "expected_version": 1, "lead": "Léa"},
        {"action_id": second, "expected_version": 1, "territory": "Pays d'Aix"},
    ]


VALID_CALLS["bulk_update_actions"] = lambda db: ((), dict(rows=_two_actions(db)))
BAD_INPUTS["bulk_update_actions"] = [
    ({"rows": "pas une liste"}, "mal formée"),
    (
        {"rows": [{"action_id": 999_999, "expected_version": 1, "lead": "x"}]},
        "ligne 1 : l'action n° 999999 n'existe pas",
    ),
    (
        {"rows": [{"action_id": 1, "expected_version": 1, "title": ""}]},
        "ligne 1 : le champ « intitulé » est obligatoire",
    ),
]


def _clause_seen(db, clause_id: int) -> dict:
    with db.reader() as cur:
        article, summary, days, months = cur.execute(
            "select article, summary, days, months from clause where id = $id", {"id": clause_id}
        ).fetchone()
    return {"article": article, "summary": summary, "days": days, "months": months}


VALID_CALLS["update_clause"] = lambda db: (
    (1,),
    dict(
        expected_version=_version(db, "clause", 1),
        summary="Résumé corrigé après relecture",
        reason="Relecture",
    ),
)
BAD_INPUTS["update_clause"] = [
    ({"summary": ""}, "obligatoire"),
    ({"days": -3}, "Délai"),
    ({"expected_version": 7}, "modifié"),
    ({"reason": None}, "motif"),
    ({"kind": "financing"}, "inconnu"),
]


def _payment(db) -> int:
    return budget.record_payment(
        db, ADMIN, budget_line_id=2, stage="commitment", occurred_on=DAY, amount="1 000"
    )


def _letter(db) -> int:
    return acts.record_letter(
        db, ADMIN, act_id=3, kind="dispute", sent_on=DAY, subject="Désaccord sur un livrable"
    )


def _act_for_cancel(db) -> int:
    return acts.create_act(db, ADMIN, programme_id=2, kind="other", title="Acte saisi par erreur")


def _validated_meeting(db) -> tuple[int, int]:
    meeting = committees.record_meeting(
        db,
        ADMIN,
        committee_id=2,
        held_on=DAY,
        decisions=[
            committees.DecisionInput("adopts", "Orientations adoptées", [("orientation", 5)])
        ],
    )
    return meeting, db.scalar("select max(id) from decision")


VALID_CALLS.update(
    {
        "archive_programme": lambda db: (
            (2,),
            dict(
                expected_version=_version(db, "programme", 2),
                archived_on=DAY,
                reason="Programme terminé",
            ),
        ),
        "update_organisation": lambda db: (
            (1,),
            dict(expected_version=_version(db, "organisation", 1), siret="24130001600011"),
        ),
        "archive_organisation": lambda db: (
            (
                programmes.create_organisation(
                    db, ADMIN, code="ASSO", name="Asso", kind="association"
                ),
            ),
            dict(expected_version=1, archived_on=DAY, reason="Dissoute"),
        ),
        "update_person": lambda db: (
            (3,),
            dict(
                expected_version=_version(db, "person", 3),
                role_title="Vice-président délégué",
                reason="Accord du titre",
            ),
        ),
        "cancel_act": lambda db: (
            (_act_for_cancel(db),),
            dict(expected_version=1, reason="Doublon"),
        ),
        "terminate_act": lambda db: (
            (3,),
            dict(
                expected_version=_version(db, "legal_act", 3),
                terminated_on=dt.date(2022, 10, 1),
                reason="Résiliation notifiée le 1er avril 2022",
            ),
        ),
        "record_letter": lambda db: (
            (),
            dict(act_id=3, kind="termination", sent_on=DAY, subject="Résiliation sans motif"),
        ),
        "cancel_letter": lambda db: ((_letter(db),), dict(reason="Lettre jamais envoyée")),
        "update_act_party": lambda db: (
            (),
            dict(
                act_id=1,
                organisation_id=1,
                seen={"represented_by": None, "signatory_id": None},
                represented_by=1,
            ),
        ),
        "cancel_clause": lambda db: (
            (2,),
            dict(expected_version=_version(db, "clause", 2), reason="Clause en double"),
        ),
        "archive_item": lambda db: (
            ("orientation", 5),
            dict(
                expected_version=_version(db, "orientation", 5),
                archived_on=DAY,
                reason="Orientation abandonnée",
            ),
        ),
        "archive_committee": lambda db: (
            (2,),
            dict(expected_version=_version(db, "committee", 2), archived_on=DAY, reason="Dissous"),
        ),
        "update_meeting": lambda db: (
            (1,),
            dict(
                expected_version=_version(db, "meeting", 1),
                place="Marseille",
                reason="Lieu retrouvé dans le compte rendu",
            ),
        ),
        "cancel_meeting": lambda db: (
            (_validated_meeting(db)[0],),
            dict(expected_version=1, reason="Séance saisie deux fois"),
        ),
        "update_decision": lambda db: (
            (2,),
            dict(
                expected_version=_version(db, "decision", 2),
                text="Présentation des résultats de l'évaluation à mi-parcours (phase 1).",
                reason="Précision",
            ),
        ),
        "cancel_decision": lambda db: (
            (_validated_meeting(db)[1],),
            dict(expected_version=1, reason="Décision mal rattachée"),
        ),
        "cancel_budget_line": lambda db: (
            (
                budget.create_budget_line(
                    db, ADMIN, programme_id=1, fiscal_year=2019, amount="10", tax_basis="HT"
                ),
            ),
            dict(expected_version=1, reason="Saisie en double"),
        ),
        "update_payment": lambda db: (
            (_payment(db),),
            dict(expected_version=1, amount="1 200", reason="Montant mal recopié"),
        ),
        "cancel_payment": lambda db: (
            (_payment(db),),
            dict(expected_version=1, reason="Paiement saisi sur la mauvaise ligne"),
        ),
    }
)

BAD_INPUTS.update(
    {
        "archive_programme": [
            ({"reason": ""}, "obligatoire"),
            ({"archived_on": "demain"}, "date valide"),
            ({"expected_version": 9}, "modifié"),
        ],
        "update_organisation": [
            ({"siret": "123"}, "14 chiffres"),
            ({"siret": "24130001600010"}, "clé de contrôle"),
            ({"kind": "secte"}, "Valeur inconnue"),
            ({"name": ""}, "obligatoire"),
        ],
        "archive_organisation": [({"reason": None}, "obligatoire")],
        "update_person": [({"full_name": ""}, "obligatoire"), ({"reason": None}, "motif")],
        "cancel_act": [({"reason": ""}, "obligatoire"), ({"expected_version": 3}, "modifié")],
        "terminate_act": [
            ({"terminated_on": None}, "obligatoire"),
            ({"reason": ""}, "obligatoire"),
        ],
        "record_letter": [
            ({"kind": "courriel"}, "Valeur inconnue"),
            ({"sent_on": "2099-01-01"}, "futur"),
            ({"subject": ""}, "obligatoire"),
            ({"received_on": "2020-01-01"}, "précède"),
            ({"act_id": 99}, "n'existe pas"),
        ],
        "cancel_letter": [({"reason": ""}, "obligatoire")],
        "update_act_party": [
            ({"represented_by": 4}, "n'appartient pas"),
            ({"seen": {"represented_by": 2, "signatory_id": None}}, "modifiée"),
            ({"seen": {"represented_by": None}}, "Valeurs lues"),
            ({"organisation_id": 99}, "n'existe pas"),
        ],
        "cancel_clause": [({"reason": "  "}, "obligatoire")],
        "archive_item": [
            ({"expected_version": 9}, "modifiée"),
            ({"archived_on": "2099-01-01"}, "futur"),
            ({"reason": ""}, "obligatoire"),
        ],
        "archive_committee": [({"reason": ""}, "obligatoire")],
        "update_meeting": [
            ({"reason": ""}, "obligatoire"),
            ({"held_on": "2099-01-01"}, "futur"),
            ({"place": "x" * 300}, "dépasse"),
        ],
        "cancel_meeting": [({"reason": ""}, "obligatoire")],
        "update_decision": [({"text": ""}, "obligatoire"), ({"reason": None}, "obligatoire")],
        "cancel_decision": [({"reason": ""}, "obligatoire"), ({"expected_version": 5}, "modifié")],
        "cancel_budget_line": [({"reason": ""}, "obligatoire")],
        "update_payment": [
            ({"amount": "1.000"}, "ambigu"),
            ({"reason": ""}, "obligatoire"),
            ({"occurred_on": "2099-01-01"}, "futur"),
        ],
        "cancel_payment": [({"reason": ""}, "obligatoire")],
    }
)

from tests.tracker import evaluation_calls  # noqa: E402 - the evaluation's services

VALID_CALLS.update(evaluation_calls.VALID_CALLS)
BAD_INPUTS.update(evaluation_calls.BAD_INPUTS)

from tests.tracker import council_calls  # noqa: E402 - the conseils citoyens' services

VALID_CALLS.update(council_calls.VALID_CALLS)
BAD_INPUTS.update(council_calls.BAD_INPUTS)

from tests.tracker import annual_report_calls  # noqa: E402 - the rapport annuel's services

VALID_CALLS.update(annual_report_calls.VALID_CALLS)
BAD_INPUTS.update(annual_report_calls.BAD_INPUTS)

from dashboard.tracker import notifications as _notifications  # noqa: E402, F401 - registers them
from tests.tracker import notification_calls  # noqa: E402 - the notifications' services

VALID_CALLS.update(notification_calls.VALID_CALLS)
BAD_INPUTS.update(notification_calls.BAD_INPUTS)

from dashboard.tracker import accessibility as _accessibility  # noqa: E402, F401 - registers it

VALID_CALLS["set_statement"] = lambda db: ((), dict(
    entity="Métropole fictive", contact="accessibilite@exemple.fr",
    plan="2027 : tableaux accessibles ; 2028 : audit par un tiers."))  # fmt: skip
BAD_INPUTS["set_statement"] = [
    ({"contact": "écrivez-nous"}, "adresse électronique"),
    ({"contact": "javascript:alert(1)"}, "adresse électronique"),
    ({"colour": "rouge"}, "Champ inconnu"),
    ({"entity": "x" * 201}, "Entité responsable"),
]
