"""Typed input read strictly: amounts, dates and integers in ASCII digits, ambiguous
amounts refused with the accepted forms, invisible direction controls refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboard.tracker import validate
from dashboard.tracker.errors import ValidationError

ACCEPTED = [
    ("1000", "1000.00"),
    ("1 000", "1000.00"),
    ("1\u00a0000", "1000.00"),
    ("1\u202f000", "1000.00"),
    ("1 000 000", "1000000.00"),
    ("1 000,50", "1000.50"),
    ("1000,50", "1000.50"),
    ("1000,5", "1000.50"),
    ("1000.50", "1000.50"),
    ("1000.5", "1000.50"),
    ("1 000.50", "1000.50"),
    ("1.000,50", "1000.50"),
    ("1.000.000,00", "1000000.00"),
    ("1.000.000", "1000000.00"),
    ("100 000 €", "100000.00"),
    ("100 000,00 €", "100000.00"),
    ("100000€", "100000.00"),
    ("2 500 EUR", "2500.00"),
    ("2 500 euros", "2500.00"),
    ("  42  ", "42.00"),
    ("0,5", "0.50"),
    ("12,30", "12.30"),
    ("1000,00", "1000.00"),
    (Decimal("10.5"), "10.50"),
    (7, "7.00"),
    (12.25, "12.25"),
]

REFUSED = [
    ("1.000", "ambigu"),
    ("1,000", "ambigu"),
    ("10,001", "ambigu"),
    ("999.999", "ambigu"),
    ("1,000.50", "formes admises"),
    ("12,5,0", "formes admises"),
    ("1 00", "formes admises"),
    ("10 0000", "formes admises"),
    ("1e5", "formes admises"),
    ("abc", "formes admises"),
    ("١٠٠٠", "formes admises"),  # Arabic-Indic digits
    ("٣٠٠,٥٠", "formes admises"),
    ("１０００", "formes admises"),  # full-width digits
    ("100 000,00 € HT", "formes admises"),
    ("-50", "positif"),
    ("1000,001", "centime"),
    ("1 000,001", "centime"),
    ("", "obligatoire"),
    ("   ", "obligatoire"),
    (None, "obligatoire"),
    (True, "nombre"),
    ("9" * 41, "nombre"),
    ("1 000 000 000 000 000", "maximum"),
    (float("nan"), "nombre"),
]


@pytest.mark.parametrize(("typed", "expected"), ACCEPTED)
def test_accepted_amounts(typed, expected):
    assert validate.amount(typed) == Decimal(expected)


@pytest.mark.parametrize(("typed", "fragment"), REFUSED)
def test_refused_amounts_say_why(typed, fragment):
    with pytest.raises(ValidationError) as caught:
        validate.amount(typed)
    assert fragment in caught.value.message


def test_the_ambiguity_message_lists_the_accepted_forms():
    with pytest.raises(ValidationError) as caught:
        validate.amount("1.000")
    assert "mille ou un" in caught.value.message
    assert "« 1 000,50 »" in caught.value.message


def test_at_least_thirty_typed_forms_are_covered():
    assert len(ACCEPTED) + len(REFUSED) >= 30


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2019-03-21", dt.date(2019, 3, 21)),
        ("21/03/2019", dt.date(2019, 3, 21)),
        ("1/3/2019", dt.date(2019, 3, 1)),
        (dt.datetime(2020, 1, 2, 10, 5), dt.date(2020, 1, 2)),
    ],
)
def test_dates(typed, expected):
    assert validate.date(typed, "Date") == expected


@pytest.mark.parametrize(
    "typed", ["٢٠١٩-٠٣-٢١", "２０１９-０３-２１", "31/02/2023", "2019-3-21", "hier", "2019/03/21"]
)
def test_dates_in_other_digits_or_forms_are_refused(typed):
    with pytest.raises(ValidationError, match="date valide"):
        validate.date(typed, "Date")


@pytest.mark.parametrize("typed", ["٣", "１２", "1.5", "douze"])
def test_integers_take_ascii_digits_only(typed):
    with pytest.raises(ValidationError, match="entier"):
        validate.integer(typed, "Numéro")


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c"])
def test_bidirectional_controls_are_refused(control):
    with pytest.raises(ValidationError, match="sens d'écriture"):
        validate.text(f"Phase {control}1 gpj.exe", "Titre")


def test_ordinary_accents_and_punctuation_are_kept():
    typed = "Évaluation « à mi-parcours » — Pays d'Aix (13) ; l'œuvre"
    assert validate.text(typed, "Titre") == typed
