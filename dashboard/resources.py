"""Where the SQL, seed facts, source acts and Streamlit config live.

In a source checkout they are the repository's own folders (so an edit shows at once);
in an installed wheel they are bundled under ``dashboard/_bundled``.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent
_IN_REPO = {
    "queries": _REPO / "queries",
    "seed": _REPO / "data" / "seed",
    "sources": _REPO / "data" / "sources",
    "examples": _REPO / "data" / "examples",
    "accessibility": _REPO / "data" / "accessibility",
    "streamlit": _REPO / ".streamlit",
    "deploy": _REPO / "data" / "deploy",
}


def resource_dir(name: str) -> Path:
    """The folder holding one kind of resource: queries, seed, sources, examples,
    accessibility, streamlit or deploy (the reverse proxy's configuration)."""
    repo_dir = _IN_REPO[name]
    if (_REPO / "pyproject.toml").is_file() and repo_dir.is_dir():
        return repo_dir
    bundled = _PACKAGE / "_bundled" / name
    if bundled.is_dir():
        return bundled
    raise FileNotFoundError(f"Ressource introuvable : {name} (ni {repo_dir}, ni {bundled})")


def app_file() -> Path:
    """The Streamlit script (pages, navigation): what AppTest runs."""
    return _PACKAGE / "app.py"


def server_file() -> Path:
    """What ``cdv serve`` runs: the app inside ``st.App`` with its security headers."""
    return _PACKAGE / "server.py"
