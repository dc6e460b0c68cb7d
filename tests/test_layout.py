"""Project rules that keep the layers apart."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def test_the_domain_never_imports_streamlit():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "dashboard" / "tracker").rglob("*.py")
        if re.search(r"^\s*(import streamlit|from streamlit)", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def test_the_pack_renderers_import_only_its_model():
    """pdf, pptx and xlsx lay out a Pack: they never read the database nor a section of
    slides, so that another document (an evaluation report) can reuse them."""
    for name in ("pdf", "pptx", "xlsx"):
        text = (ROOT / "dashboard" / "tracker" / "pack" / f"{name}.py").read_text()
        inner = re.findall(r"^from dashboard\.tracker\.(\S+) import", text, re.MULTILINE)
        assert set(inner) <= {"pack.model", "errors"}, (name, inner)


def test_pages_hold_no_sql():
    for path in (ROOT / "dashboard" / "app_pages").glob("*.py"):
        text = path.read_text()
        assert not re.search(
            r"\b(select|insert|update|delete)\b\s+.*\b(from|into|set)\b", text, re.I
        ), path


def test_ruff_passes():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff introuvable")
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
