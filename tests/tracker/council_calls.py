"""One valid call of each service of the conseils citoyens, and bad inputs for each
(shared by the role matrix and the bad-input tests)."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import citizen_councils
from dashboard.tracker.files import Upload
from tests.conftest import ADMIN
from tests.tracker.evaluation_calls import PDF, qpv

DAY = dt.date(2024, 2, 1)


def council(db) -> int:
    return citizen_councils.create_council(
        db, ADMIN, name="Conseil citoyen du Quartier A", qpv_ids=[qpv(db)],
        established_on=dt.date(2015, 9, 1),
    )  # fmt: skip


def member(db, college: str = "residents") -> int:
    return citizen_councils.add_member(
        db, ADMIN, council_id=council(db), full_name="Awa Diallo", college=college,
        appointed_on=dt.date(2016, 1, 10),
    )  # fmt: skip


def seat(db) -> int:
    return citizen_councils.seat_member(db, ADMIN, member_id=member(db), committee_id=1,
                                        from_on=dt.date(2017, 5, 1))  # fmt: skip


def opinion(db) -> int:
    return citizen_councils.record_opinion(
        db, ADMIN, council_id=council(db), subject="Avis sur le rapport annuel 2016",
        about="annual_report", received_on=dt.date(2017, 6, 2),
    )  # fmt: skip


def _version(db, table: str, row_id: int) -> int:
    return db.scalar(f"select version from {table} where id = $i", {"i": row_id})


VALID_CALLS = {
    "create_council": lambda db: (
        (),
        dict(name="Conseil citoyen", qpv_ids=[qpv(db)], established_on=DAY),
    ),  # fmt: skip
    "update_council": lambda db: (
        (council(db),),
        dict(expected_version=1, name="Conseil citoyen du Quartier A (renommé)"),
    ),
    "archive_council": lambda db: (
        (council(db),),
        dict(expected_version=1, archived_on=DAY, reason="dissous"),
    ),
    "add_member": lambda db: (
        (),
        dict(
            council_id=council(db),
            full_name="Jean Martin",
            college="local_actors",
            appointed_on=DAY,
        ),
    ),  # fmt: skip
    "renew_member": lambda db: ((member(db),), dict(expected_version=1, renewed_on=DAY)),
    "end_member": lambda db: (
        (member(db),),
        dict(expected_version=1, ended_on=DAY, reason="déménagement"),
    ),
    "seat_member": lambda db: ((), dict(member_id=member(db), committee_id=1, from_on=DAY)),
    "end_seat": lambda db: ((seat(db),), dict(until_on=DAY)),
    "record_opinion": lambda db: (
        (),
        dict(
            council_id=council(db),
            subject="Avis sur le projet de rapport annuel 2023",
            about="annual_report",
            received_on=DAY,
            upload=Upload("avis.pdf", PDF),
        ),
    ),  # fmt: skip
    "cancel_opinion": lambda db: ((opinion(db),), dict(expected_version=1, reason="doublon")),
}

BAD_INPUTS = {
    "create_council": [
        ({"qpv_ids": []}, "au moins un quartier"),
        ({"qpv_ids": [999]}, "n'existe pas"),
        ({"name": " "}, "Nom du conseil citoyen"),
        ({"established_on": "2099-01-01"}, "au plus tard aujourd'hui"),
    ],
    "update_council": [
        ({"name": ""}, "Nom du conseil citoyen"),
        ({"expected_version": 9}, "modifié"),
    ],  # fmt: skip
    "archive_council": [({"reason": ""}, "Motif")],
    "add_member": [
        ({"college": "élus"}, "Valeur inconnue"),
        ({"appointed_on": "31/02/2020"}, "Désigné le"),
        ({"full_name": ""}, "Nom du membre"),
    ],
    "renew_member": [({"renewed_on": "2015-01-01"}, "suit la désignation")],
    "end_member": [({"reason": ""}, "Motif"), ({"ended_on": "2010-01-01"}, "après la désignation")],
    "seat_member": [
        ({"committee_id": 999}, "Comité"),
        ({"from_on": "2010-01-01"}, "après sa désignation"),
    ],
    "end_seat": [({"until_on": "2010-01-01"}, "après son début")],
    "record_opinion": [
        ({"about": "budget"}, "Valeur inconnue"),
        ({"received_on": "2099-01-01"}, "au plus tard aujourd'hui"),
        ({"upload": Upload("avis.exe", b"MZ\x90\x00")}, "type accepté"),
    ],
    "cancel_opinion": [({"reason": ""}, "obligatoire")],
}
