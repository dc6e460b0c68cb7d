"""One valid call of each service of the rapport annuel, and bad inputs for each (shared
by the role matrix and the bad-input tests)."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import annual_report as ar
from dashboard.tracker import programmes
from dashboard.tracker.files import Upload
from tests.conftest import ADMIN
from tests.tracker.evaluation_calls import PDF

SENT = dt.date(2024, 2, 1)
APPROVED = dt.date(2024, 3, 15)


def contract(db) -> int:
    return programmes.create_programme(db, ADMIN, code="CDV-TEST-2024", kind="city_contract",
                                       title="Contrat de ville de test")  # fmt: skip


def commune(db) -> int:
    return programmes.create_organisation(db, ADMIN, code="COMMUNE-TEST", kind="local_authority",
                                          name="Commune de test", funder_category="commune")  # fmt: skip


def report(db) -> int:
    return ar.create_report(db, ADMIN, programme_id=contract(db), year=2023)


def consultation(db) -> tuple[int, int]:
    """A report and its draft sent to a municipal council (its month long over)."""
    opened = report(db)
    sent = ar.send_draft(db, ADMIN, report_id=opened, consulted="municipal_council",
                         sent_on=SENT, organisation_id=commune(db))  # fmt: skip
    return opened, sent


def approved(db) -> int:
    opened, _ = consultation(db)
    ar.approve(db, ADMIN, opened, expected_version=1, approved_on=APPROVED,
               follow_up="Les avis sont repris dans les perspectives.")  # fmt: skip
    return opened


VALID_CALLS = {
    "create_report": lambda db: (
        (),
        dict(programme_id=contract(db), year=2023, outlook="Mobiliser le droit commun"),
    ),  # fmt: skip
    "update_report": lambda db: (
        (report(db),),
        dict(expected_version=1, planned_approval_on=APPROVED),
    ),  # fmt: skip
    "cancel_report": lambda db: ((report(db),), dict(expected_version=1, reason="doublon")),
    "send_draft": lambda db: (
        (),
        dict(
            report_id=report(db),
            consulted="municipal_council",
            sent_on=SENT,
            organisation_id=commune(db),
        ),
    ),  # fmt: skip
    "record_answer": lambda db: (
        (consultation(db)[1],),
        dict(
            expected_version=1,
            answered_on=dt.date(2024, 2, 20),
            opinion="favourable",
            summary="Avis favorable du conseil municipal",
            upload=Upload("avis.pdf", PDF),
        ),
    ),  # fmt: skip
    "cancel_consultation": lambda db: (
        (consultation(db)[1],),
        dict(expected_version=1, reason="envoi en double"),
    ),  # fmt: skip
    "approve": lambda db: (
        (consultation(db)[0],),
        dict(
            expected_version=1,
            approved_on=APPROVED,
            follow_up="Avis repris",
            deliberation_number="DEL-2024-1",
        ),
    ),  # fmt: skip
    "publish": lambda db: (
        (approved(db),),
        dict(expected_version=2, published_on=dt.date(2024, 4, 1)),
    ),  # fmt: skip
}

BAD_INPUTS = {
    "create_report": [
        ({"year": 2099}, "Année"),
        ({"programme_id": 1}, "porte sur un contrat de ville"),
    ],
    "update_report": [
        ({"planned_approval_on": "31/02/2025"}, "Date prévue de la délibération"),
        ({"expected_version": 9}, "modifié"),
    ],
    "cancel_report": [({"reason": ""}, "obligatoire")],
    "send_draft": [
        ({"delay_months": 0}, "inférieur à un mois"),
        ({"consulted": "préfet"}, "Valeur inconnue"),
        ({"organisation_id": None}, "Choisissez la commune"),
    ],
    "record_answer": [
        ({"opinion": "ravi"}, "Valeur inconnue"),
        ({"answered_on": "2020-01-01"}, "ne peut précéder l'envoi"),
        ({"upload": Upload("avis.exe", b"MZ\x90\x00")}, "type accepté"),
    ],
    "cancel_consultation": [({"reason": ""}, "obligatoire")],
    "approve": [
        ({"follow_up": ""}, "Suites données aux avis"),
        ({"approved_on": "2024-02-15"}, "a jusqu'au"),
    ],
    "publish": [({"published_on": "2024-01-01"}, "une fois approuvé")],
}
