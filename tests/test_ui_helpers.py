"""Small pure helpers of the interface: calendar row labels cut at a word and kept
distinct; the tracker role that an identity provider's claim maps to."""

from __future__ import annotations

import pytest

from dashboard.ui.charts import short_labels
from dashboard.ui.sso import role_of

CONFIG = {
    "role_claim": "groups",
    "roles": {"cdv-admins": "administrateur", "cdv-equipe": "contributeur", "cdv-l": "lecteur"},
}


def test_calendar_labels_are_cut_at_a_word_and_never_merge():
    labels = [
        "Évaluation à mi-parcours des contrats de ville, volet emploi",
        "Évaluation à mi-parcours des contrats de ville, volet habitat",
        "Atelier",
    ]
    shown = short_labels(labels, 34)
    assert len(set(shown)) == 3 and shown[2] == "Atelier"
    assert all(len(s) <= 34 for s in shown)
    assert shown[0].endswith("…") and shown[1].endswith("(2)")


@pytest.mark.parametrize(
    ("claim", "role"),
    [
        (["autre", "cdv-equipe"], "contributeur"),
        (["cdv-l", "cdv-admins"], "administrateur"),  # the highest one
        ("cdv-l", "lecteur"),  # a single value
        (["autre"], None),
        (None, None),
        ([42, {"x": 1}], None),
    ],
)
def test_the_role_claim_maps_to_the_highest_tracker_role(claim, role):
    assert role_of({"groups": claim}, CONFIG) == role


def test_a_simple_table_escapes_what_it_shows_and_says_unknown():
    import datetime as dt

    import pandas as pd

    from dashboard.ui.widgets import table_markup

    frame = pd.DataFrame([{"Nom": "<script>alert(1)</script>", "Date": dt.date(2024, 3, 1),
                           "Montant": None}])  # fmt: skip
    markup = table_markup(frame, "Paiements <b>")
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert (
        "<caption style='text-align:left;font-weight:600;padding:4px 0'>Paiements &lt;b&gt;"
        in markup
    )
    assert "1er mars 2024" in markup and "non renseigné" in markup
    assert markup.count("<th scope='col'") == 3
