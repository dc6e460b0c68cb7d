"""Territory contours for the maps: the official GeoJSON checked before anything is kept
(a bad file is refused in French and changes nothing), the latest set drawn, and the
maps in the evaluation report with their text alternative and table."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from docx import Document

from dashboard.ingest.load import load, make_demo, read
from dashboard.tracker import contours
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.evaluation_report import build
from dashboard.tracker.evaluation_report.docx import docx_bytes
from dashboard.tracker.files import Upload
from tests.conftest import ADMIN
from tests.helpers import snapshot

EXAMPLES = Path(__file__).parents[2] / "data" / "examples"
GEOJSON = (EXAMPLES / "contours-demo.geojson").read_bytes()
TODAY = dt.date.today()


@pytest.fixture
def demo(db):
    make_demo(db)
    load(db, ADMIN, read(EXAMPLES / "referentiel-demo.toml"), origin="referentiel-demo.toml")
    return db


def _upload(db, data: bytes = GEOJSON, generation: int = 2024, **given) -> int:
    values = dict(kind="qpv", generation=generation, source_document="Contours fictifs",
                  vintage="fictif", upload=Upload("contours.geojson", data))  # fmt: skip
    return contours.upload_contours(db, ADMIN, **(values | given))


def _with(feature_change) -> bytes:
    document = json.loads(GEOJSON)
    feature_change(document["features"])
    return json.dumps(document).encode()


def test_the_demo_contours_are_kept_and_drawn(demo):
    first = _upload(demo)
    rows = contours.contours(demo, "qpv", 2024)
    assert [r["code"] for r in rows] == ["QN99002A", "QN99001A", "QN99001B"]  # by name
    assert (
        rows[0]["geometry"]["type"] == "Polygon"
        and rows[0]["source_document"] == "Contours fictifs"
    )
    assert contours.contours(demo, "qpv", 2015) == []
    drawn = contours.areas(rows, {rows[0]["territory_id"]: 142})
    assert [a.value for a in drawn] == [142.0, None, None]
    assert contours.describe(drawn, "EMP-1", "personnes") == (
        "Carte, EMP-1 : 3 territoire(s) dessiné(s) ; la valeur la plus haute : Quartier de la "
        "Gare (fictif) (142 personnes), la plus basse : Quartier de la Gare (fictif) (142 "
        "personnes) ; 2 sans valeur publiée ou connue."
    )
    second = _upload(demo, vintage="fictif, deuxième version")
    sets = demo.records("contour_sets")
    assert [(s["id"], s["in_use"]) for s in sets] == [(second, True), (first, False)]
    assert {r["vintage"] for r in demo.records("territory_contours", kind="qpv",
                                               generation=2024)} == {"fictif, deuxième version"}  # fmt: skip


BAD = [
    (b"", "vide"),
    (b"{pas du json", "pas un GeoJSON lisible"),
    (b'{"type": "Feature"}', "FeatureCollection"),
    (b'{"type": "FeatureCollection", "features": []}', "aucun contour"),
    (_with(lambda f: f[0]["geometry"].update(coordinates=[[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]])),
     "géométrie invalide (Self-intersection"),
    (_with(lambda f: f[0].update(geometry={"type": "Point", "coordinates": [4.6, 42.2]})),
     "un polygone est attendu"),
    (_with(lambda f: f[0]["properties"].update(code_qp="QN00000Z")), "QN00000Z"),
    (_with(lambda f: f[1]["properties"].update(code_qp=f[0]["properties"]["code_qp"])),
     "a deux contours"),
    (_with(lambda f: f[0]["geometry"].update(coordinates=[[[893000, 6247000], [894000, 6247000],
                                                            [894000, 6248000], [893000, 6247000]]])),
     "WGS 84"),
    (_with(lambda f: f[0].update(properties={"nom": "sans code"})), "aucun code trouvé"),
    (b" " * (contours.MAX_BYTES + 1), "dépasse 20 Mo"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "message"), BAD, ids=[m for _, m in BAD])
def test_a_bad_geojson_is_refused_in_french_and_changes_nothing(demo, data, message):
    before = snapshot(demo)
    files_before = (
        sorted(p.name for p in demo.files_dir.rglob("*")) if demo.files_dir.exists() else []
    )
    with pytest.raises(ValidationError, match=message.replace("(", r"\(")):
        _upload(demo, data)
    assert snapshot(demo) == before
    after = sorted(p.name for p in demo.files_dir.rglob("*")) if demo.files_dir.exists() else []
    assert after == files_before  # nothing kept on disk either


def test_contours_of_another_generation_are_refused(demo):
    before = snapshot(demo)
    with pytest.raises(ValidationError, match="parmi les QPV 2015"):
        _upload(demo, generation=2015)
    assert snapshot(demo) == before


def test_the_report_draws_each_indicator_on_the_map_with_its_alternative(demo):
    assert build(demo, "EVAL-CDV-2015-2020", TODAY).maps == []  # without contours: no map
    _upload(demo)
    report = build(demo, "EVAL-CDV-2015-2020", TODAY)
    assert [m.title for m in report.maps] == [
        "EMP-1 — Demandeurs d'emploi accompagnés (fictif), QPV 2024, 2024 (personnes)",
        "EMP-2 — Taux de chômage des 15-64 ans (fictif), QPV 2024, 2024 (%)",
        "PART-1 — Séances de conseil citoyen tenues (fictif), QPV 2024, 2024 (séances)",
    ]
    part = report.maps[2]
    # séances are counts: below 11, the map and its table say « s », never the number
    assert {row[1] for row in part.table.rows} <= {"s", "—"}
    assert all(a.value is None for a in part.areas)
    document = Document(io.BytesIO(docx_bytes(report)))
    descriptions = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert len(descriptions) == len(report.figures) + len(report.maps)
    assert report.maps[0].alt in descriptions and report.maps[0].alt.startswith("Carte, EMP-1")
