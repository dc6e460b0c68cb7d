"""Field-level precision and recall of the act extractor on the test documents of
tests/fixtures/actes (expected.toml says what a careful reader finds in each). The
documents named « tenu-a-l-ecart-… » were written after the extractor was tuned and
never used to tune it: their figures are the honest measure.

    uv run python -m tests.ingest_quality
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from dashboard.ingest import act_text

FOLDER = Path(__file__).parent / "fixtures" / "actes"
SCALARS = ("kind", "number", "amends", "reference", "amends_concluded_on", "signed_on",
           "effective_rule", "effective_on", "ends_on", "deliberation_body",
           "deliberation_number", "deliberation_date", "committee")  # fmt: skip


def read(name: str) -> dict:
    e = act_text.extract(act_text.read_text(FOLDER / name))
    found = {k: getattr(e, k).value for k in SCALARS}
    found["orientations"] = len(e.orientations) or None
    found["amounts"] = [(f"{a['amount'].value:.2f}", a["fiscal_year"].value, a["tax_basis"])
                        for a in e.amounts]  # fmt: skip
    found["clauses"] = sorted({c["kind"] for c in e.clauses})
    found["representatives"] = [p["represented_by"].value for p in e.parties
                                if p["represented_by"].found]  # fmt: skip
    found["signatories"] = [p["signatory"].value for p in e.parties if p["signatory"].found]
    return found


def score(expected: dict, found: dict) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives), one per field or list item."""
    tp = fp = fn = 0
    for key in SCALARS + ("orientations",):
        want, got = expected.get(key) or None, found.get(key)
        if got is not None and got == want:
            tp += 1
        else:
            fp += got is not None
            fn += want is not None
    for key in ("amounts", "clauses", "representatives", "signatories"):
        want = [tuple(w) if isinstance(w, list) else w for w in expected.get(key, [])]
        got = list(found[key])
        for item in got:
            if item in want:
                tp += 1
                want.remove(item)
            else:
                fp += 1
        fn += len(want)
    return tp, fp, fn


def measure() -> list[dict]:
    expected = tomllib.load(open(FOLDER / "expected.toml", "rb"))
    rows = []
    for name, want in expected.items():
        tp, fp, fn = score(want, read(name))
        rows.append({"document": name, "held_out": name.startswith("tenu-a-l-ecart"),
                     "tp": tp, "fp": fp, "fn": fn})  # fmt: skip
    return rows


def ratios(rows: list[dict]) -> tuple[float, float]:
    tp, fp, fn = (sum(r[k] for r in rows) for k in ("tp", "fp", "fn"))
    return tp / (tp + fp), tp / (tp + fn)


if __name__ == "__main__":
    rows = measure()
    for row in rows:
        precision, recall = ratios([row])
        mark = " (tenu à l'écart)" if row["held_out"] else ""
        print(f"{row['document']}{mark} : précision {precision:.0%}, rappel {recall:.0%} "
              f"({row['tp']} justes, {row['fp']} fausses, {row['fn']} manquées)")  # fmt: skip
    for label, subset in (("réglage", [r for r in rows if not r["held_out"]]),
                          ("tenus à l'écart", [r for r in rows if r["held_out"]])):  # fmt: skip
        precision, recall = ratios(subset)
        print(f"Ensemble {label} : précision {precision:.0%}, rappel {recall:.0%}")
