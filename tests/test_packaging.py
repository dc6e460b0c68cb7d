"""The app works when installed from a built wheel: the SQL, the seed facts, the
source acts and the Streamlit config travel inside the package."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers import plain

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv introuvable : test du paquet installé ignoré")
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(work / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next((work / "dist").glob("cdv_tracker-*.whl"))
    venv = work / "venv"
    subprocess.run([uv, "venv", "--quiet", str(venv)], check=True, capture_output=True, timeout=120)
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return wheel, venv, work


def test_wheel_bundles_queries_seed_and_sources(installed):
    wheel, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for query in (ROOT / "queries").rglob("*.sql"):
        assert f"dashboard/_bundled/queries/{query.relative_to(ROOT / 'queries')}" in names
    assert "dashboard/_bundled/seed/acts.toml" in names
    assert "dashboard/_bundled/streamlit/config.toml" in names
    assert "dashboard/app.py" in names
    assert len([n for n in names if n.startswith("dashboard/_bundled/sources/")]) == 2


def test_installed_cli_initialises_and_exports_outside_the_repository(installed):
    _, venv, work = installed
    cdv = str(venv / "bin" / "cdv")
    run_dir = work / "elsewhere"
    run_dir.mkdir()
    result = subprocess.run([cdv, "init"], cwd=run_dir, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (run_dir / "data" / "cdv.duckdb").exists()
    exported = subprocess.run(
        [cdv, "export"], cwd=run_dir, capture_output=True, text=True, timeout=120
    )
    doc = json.loads(exported.stdout)
    assert [p["code"] for p in doc["programmes"]] == ["EVAL-CDV-2015-2020", "MODERN-PV-2022"]


def test_installed_app_renders(installed):
    _, venv, work = installed
    script = (
        "import os\n"
        "from streamlit.testing.v1 import AppTest\n"
        "from dashboard.resources import app_file, resource_dir\n"
        "assert '_bundled' in str(resource_dir('queries')), resource_dir('queries')\n"
        "at = AppTest.from_file(str(app_file()), default_timeout=60).run()\n"
        "assert not at.exception, at.exception\n"
        "print('|'.join(s.value for s in at.header))\n"
    )
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=180,
        env={"CDV_DB": str(work / "app.duckdb"), "CDV_PUBLIC_READ": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Évaluation des contrats de ville 2015-2020" in plain(result.stdout)
