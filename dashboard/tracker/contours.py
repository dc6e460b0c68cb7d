"""Territory contours for the maps: the administrator uploads the official contours (a
GeoJSON FeatureCollection: the QPV of the 2015 or 2024 generation as the ANCT publishes
them, or the communes), with their source and vintage. Everything is checked before
anything is written — size, JSON, features, valid geometry (shapely), WGS 84 degrees,
codes that match the recorded territories, no code twice — and a bad file is refused in
French and changes nothing. The raw file is kept content-addressed; the shapes, slightly
simplified, are what the maps draw (no tile server, no network)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import shapely
from shapely.geometry import mapping, shape

from dashboard.tracker import files, fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.records import create

MAX_BYTES = 20 * 1024 * 1024
MAX_FEATURES = 5_000
MAX_POINTS = 2_000_000
#: about 5 m at these latitudes: invisible on a map, halves a detailed file
SIMPLIFY_DEGREES = 0.00005
#: the property that carries a territory's code, in the files the ANCT and the IGN publish
CODE_KEYS = ("code_qp", "code_qpv", "code_quartier", "code", "insee_com", "code_insee",
             "insee", "codgeo")  # fmt: skip
KINDS = {"qpv": "QPV", "commune": "communes"}


@dataclass(frozen=True)
class Shape:
    territory_id: int
    code: str
    geometry: dict


def _features(data: bytes) -> list[dict]:
    if not data:
        raise ValidationError("Le fichier de contours est vide.")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"Le fichier de contours dépasse {MAX_BYTES // (1024 * 1024)} Mo : simplifiez-le "
            "(par exemple avec mapshaper) ou découpez-le."
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError(
            "Ce fichier n'est pas un GeoJSON lisible (il n'est pas en UTF-8)."
        ) from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"Ce fichier n'est pas un GeoJSON lisible (JSON mal formé, ligne {error.lineno}, "
            f"colonne {error.colno})."
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValidationError("Un GeoJSON de contours est une « FeatureCollection ».")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError("Le GeoJSON ne contient aucun contour (« features » vide).")
    if len(features) > MAX_FEATURES:
        raise ValidationError(f"Au plus {fmt.number(MAX_FEATURES)} contours par fichier.")
    return features


def _code(feature: dict, number: int) -> str:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        raise ValidationError(f"Contour n° {number} : pas de propriétés, donc pas de code.")
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in CODE_KEYS:
        if lowered.get(key) not in (None, ""):
            return str(lowered[key]).strip()
    raise ValidationError(
        f"Contour n° {number} : aucun code trouvé (propriétés attendues : {', '.join(CODE_KEYS)})."
    )


def _geometry(feature: dict, number: int, code: str, budget: list[int]):
    raw = feature.get("geometry")
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(f"Contour n° {number} ({code}) : un polygone est attendu.")
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError):
        raise ValidationError(
            f"Contour n° {number} ({code}) : géométrie illisible (des coordonnées manquent "
            "ou ne sont pas des paires de nombres)."
        ) from None
    budget[0] += shapely.get_num_coordinates(geometry)
    if budget[0] > MAX_POINTS:
        raise ValidationError(f"Plus de {fmt.number(MAX_POINTS)} points : simplifiez le fichier.")
    if geometry.is_empty or not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise ValidationError(f"Contour n° {number} ({code}) : géométrie invalide ({reason}).")
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationError(
            f"Contour n° {number} ({code}) : coordonnées hors des degrés de longitude et de "
            "latitude. Le GeoJSON attend du WGS 84 (EPSG:4326) : reprojetez le fichier "
            "(par exemple depuis le Lambert 93)."
        )
    return geometry


def read_shapes(cur, data: bytes, kind: str, generation: int | None) -> list[Shape]:
    """Every feature checked, then matched to a recorded territory by its code."""
    features = _features(data)
    known = dict(cur.execute(
        "select code, id from territory where kind = $k and code is not null"
        " and generation is not distinct from $g", {"k": kind, "g": generation},
    ).fetchall())  # fmt: skip
    budget, seen, unknown, shapes = [0], set(), [], []
    for number, feature in enumerate(features, start=1):
        code = _code(feature, number)
        geometry = _geometry(feature, number, code, budget)
        if code in seen:
            raise ValidationError(f"Le code {code} a deux contours (contour n° {number}).")
        seen.add(code)
        if code not in known:
            unknown.append(code)
            continue
        simple = geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        shapes.append(Shape(known[code], code, mapping(simple)))
    if unknown:
        listed = ", ".join(unknown[:10]) + (
            f" et {len(unknown) - 10} autres" if len(unknown) > 10 else ""
        )
        what = f"QPV {generation}" if kind == "qpv" else "communes"
        raise ValidationError(
            f"Codes sans territoire enregistré parmi les {what} : {listed}. Chargez d'abord "
            "la liste officielle (page Territoires) ou choisissez la bonne génération."
        )
    return shapes


@write_service("administrateur", "charger des contours de territoires")
def upload_contours(
    db: Database, actor: Actor, *, kind: str, generation: object = None, source_document: str,
    vintage: str, upload: files.Upload,
) -> int:  # fmt: skip
    """Check the GeoJSON and keep it; from now on the maps of this kind (and generation)
    draw these contours."""
    chosen = validate.choice(kind, KINDS, "Type de territoire")
    year = None
    if chosen == "qpv":
        year = validate.choice(str(generation), {"2015": "2015", "2024": "2024"}, "Génération")
        year = int(year)
    source = validate.text(source_document, "Source des contours", max_len=300)
    edition = validate.text(vintage, "Millésime", max_len=60)
    if not isinstance(upload, files.Upload):
        raise ValidationError("Aucun fichier de contours reçu.")
    with db.reader() as cur:
        shapes = read_shapes(cur, upload.data, chosen, year)
    sha256 = files.store(db, upload.data)
    with db.transaction() as cur:
        file_id = files.stored_file(cur, actor, sha256, len(upload.data), "geojson")
        set_id = create(cur, actor, "contour_set", {
            "kind": chosen, "generation": year, "source_document": source, "vintage": edition,
            "file_id": file_id, "file_name": upload.name[:200] or "contours.geojson",
            "shapes": len(shapes), "recorded_by": actor.name, "recorded_at": utcnow(),
        })  # fmt: skip
        cur.executemany(
            "insert into contour (contour_set_id, territory_id, geometry) values ($1, $2, $3)",
            [(set_id, s.territory_id, json.dumps(s.geometry)) for s in shapes],
        )
        return set_id


def contours(db: Database, kind: str, generation: int | None) -> list[dict]:
    """The contours the maps draw, each with its geometry parsed."""
    return parse(db.records("territory_contours", kind=kind, generation=generation))


def parse(rows: list[dict]) -> list[dict]:
    """Rows of ``territory_contours`` with their geometry as a dict (copies: a cached
    read stays as it was)."""
    return [{**row, "geometry": json.loads(row["geometry"])} for row in rows]


def rings(geometry: dict) -> list[list[tuple[float, float]]]:
    """The outer and inner rings of a polygon or multipolygon, as (lon, lat) points."""
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    return [[(x, y) for x, y, *_ in ring] for polygon in polygons for ring in polygon]


def aspect(rows: list[dict]) -> float:
    """How much a degree of latitude is longer than one of longitude here (a map in
    degrees is drawn with this ratio so that shapes keep their proportions)."""
    lats = [y for r in rows for ring in rings(r["geometry"]) for _, y in ring]
    middle = (min(lats) + max(lats)) / 2 if lats else 45.0
    return 1 / max(math.cos(math.radians(middle)), 0.1)


@dataclass(frozen=True)
class Area:
    """One territory on a map: its label, rings, value (None: unknown or secret) and the
    point where its label is written."""

    territory_id: int
    label: str
    rings: list[list[tuple[float, float]]]
    value: float | None
    anchor: tuple[float, float]
    secret: bool = False


def areas(rows: list[dict], values: dict[int, float | None], secret: set[int] = frozenset()
          ) -> list[Area]:  # fmt: skip
    """The contours (``contours``) with the value of each territory."""
    found = []
    for row in rows:
        point = shape(row["geometry"]).representative_point()
        value = values.get(row["territory_id"])
        found.append(Area(
            row["territory_id"], row["name"], rings(row["geometry"]),
            None if row["territory_id"] in secret or value is None else float(value),
            (point.x, point.y), row["territory_id"] in secret,
        ))  # fmt: skip
    return found


def describe(drawn: list[Area], title: str, unit: str) -> str:
    """A map's text alternative: what it shows and its key figures."""
    known = sorted((a for a in drawn if a.value is not None), key=lambda a: a.value)
    text = f"Carte, {title} : {len(drawn)} territoire(s) dessiné(s)"
    if known:
        text += (f" ; la valeur la plus haute : {known[-1].label} ({fmt.measure(known[-1].value)} "
                 f"{unit}), la plus basse : {known[0].label} ({fmt.measure(known[0].value)} {unit})")  # fmt: skip
    missing = len(drawn) - len(known)
    if missing:
        text += f" ; {missing} sans valeur publiée ou connue"
    return text + "."
