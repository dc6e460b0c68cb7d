"""The automated accessibility audit (issue 26): axe-core, as published on npm and
bundled (pinned through ``uv.lock``) by the PyPI package axe-playwright-python, loaded by
the browser tests into each page they visit, with the rules of WCAG 2.1 levels A and AA
(what RGAA 4.1.2 asks for).

Every walk records what axe finds where (``Audit.check``). A walk fails on any violation
of impact « serious » or « critical »; the others are counted per rule and compared with
the last audit, kept in ``data/accessibility/audit.json`` (what the « Déclaration
d'accessibilité » page states): a count that goes up fails the walk. ``CDV_AUDIT_WRITE=1``
rewrites the walk's part of that file with the run's figures (to record a count that went
down, or a new page)."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import ARTIFACTS

AUDIT_FILE = Path(__file__).resolve().parents[2] / "data" / "accessibility" / "audit.json"
#: WCAG 2.1 A and AA (what RGAA 4.1.2 asks for) and axe's good practices (heading order,
#: landmarks…: RGAA 9.1 and 12.6 ask for them in their own words)
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")
_AXE = Axe()


def axe_version() -> str:
    first = _AXE.axe_script[:60]
    return first.split("axe v", 1)[1].split()[0] if "axe v" in first else "?"


@dataclass
class Audit:
    """What axe found on one walk: per place (page, size, tab), its violations."""

    walk: str
    found: dict[str, list[dict]] = field(default_factory=dict)

    def check(self, page, where: str) -> list[dict]:
        response = _AXE.run(page, options=OPTIONS).response
        violations = [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": len(v["nodes"]),
                "example": v["nodes"][0]["html"][:300] if v["nodes"] else "",
                "target": v["nodes"][0]["target"] if v["nodes"] else [],
            }
            for v in response["violations"]
        ]
        self.found[where] = violations
        return violations

    def blocking(self) -> dict[str, list[str]]:
        """Where a serious or critical violation was found: place -> its rules."""
        serious = {
            where: [f"{v['rule']} ({v['impact']}) : {v['example']}"
                    for v in violations if v["impact"] in BLOCKING]
            for where, violations in self.found.items()
        }  # fmt: skip
        return {where: rules for where, rules in serious.items() if rules}

    def counts(self) -> dict[str, dict]:
        """Per rule: its impact, what it asks, the places and the elements it fails on."""
        rules: dict[str, dict] = {}
        for found in self.found.values():
            for v in found:
                entry = rules.setdefault(
                    v["rule"], {"impact": v["impact"], "help": v["help"], "places": 0, "nodes": 0}
                )
                entry["places"] += 1
                entry["nodes"] += v["nodes"]
        return dict(sorted(rules.items()))

    def summary(self) -> dict:
        return {
            "date": dt.date.today().isoformat(),
            "places": len(self.found),
            "places_without_violation": sum(1 for f in self.found.values() if not f),
            "violations": self.counts(),
            "checked": sorted(self.found),
        }

    def save(self) -> dict:
        """The run's figures in the artifacts (always) and, with CDV_AUDIT_WRITE=1, in
        the audit file; returns the audit file's previous figures for this walk."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        mine = self.summary()
        (ARTIFACTS / f"accessibilite-{self.walk}.json").write_text(
            json.dumps(
                {"walk": self.walk, **mine, "found": self.found}, ensure_ascii=False, indent=1
            )  # fmt: skip
        )
        with open(AUDIT_FILE, "r+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # two workers may write their walks at once
            recorded = json.load(handle)
            before = recorded["walks"].get(self.walk, {})
            if os.environ.get("CDV_AUDIT_WRITE") == "1":
                recorded["walks"][self.walk] = mine
                recorded["axe_version"] = axe_version()
                recorded["date"] = mine["date"]
                handle.seek(0)
                handle.truncate()
                json.dump(recorded, handle, ensure_ascii=False, indent=1, sort_keys=True)
                handle.write("\n")
        return before

    def worse_than(self, before: dict) -> dict[str, tuple[int, int]]:
        """The rules failing on more places than in the last audit: rule -> (then, now)."""
        then = before.get("violations", {})
        return {
            rule: (then.get(rule, {}).get("places", 0), entry["places"])
            for rule, entry in self.counts().items()
            if entry["places"] > then.get(rule, {}).get("places", 0)
        }
