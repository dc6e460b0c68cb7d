"""Streamlit's browser words in French: every translation still finds its English
literal in the installed Streamlit (an upgrade that renames one fails here, not in
front of a user), and a translated bundle is still the same code otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit

from dashboard.frontend_fr import PATTERNS, TRANSLATIONS, bundle_name, translate_js

BUNDLES = Path(streamlit.__file__).parent / "static" / "static" / "js"


def bundle(name: str) -> str:
    """Every bundle of that name (Vite may split one name into several), joined."""
    paths = [p for p in BUNDLES.glob(f"{name}.*.js") if bundle_name(str(p)) == name]
    assert paths, f"aucun fichier {name}.*.js"
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(paths))


@pytest.mark.parametrize("name", sorted(TRANSLATIONS))
def test_every_literal_is_found_and_replaced(name):
    text = bundle(name)
    translated = translate_js(text, name)
    for english, french in TRANSLATIONS[name].items():
        assert f"`{english}`" in text, f"{name} : « {english} » introuvable"
        assert f"`{english}`" not in translated and f"`{french}`" in translated


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_pattern_is_found(name):
    text = bundle(name)
    for pattern, _ in PATTERNS[name]:
        assert pattern.search(text), f"{name} : {pattern.pattern} introuvable"
        assert not pattern.search(translate_js(text, name))


def test_only_the_literals_change():
    text = bundle("index")
    translated = translate_js(text, "index")
    assert translated.count("`") == text.count("`")
    assert translated.replace("Aller au contenu principal", "Skip to main content").count(
        "Skip to main content"
    ) == text.count("Skip to main content")


def test_the_translated_bundles_are_kept_once_however_their_path_is_written():
    """The cache an anonymous request fills is bounded by the files, not the paths: the
    variants of a bundle's path share one entry, and only the canonical path is indexed
    (the real server's memory is measured in tests/e2e/test_hardening.py)."""
    import asyncio

    from dashboard import frontend_fr as f

    body = b"var label = `Download plot as a PNG`;" * 10_000

    async def streamlit_like(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/javascript")]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})

    sent: list[bytes] = []

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        if message["type"] == "http.response.body":
            sent.append(message["body"])

    middleware = f.FrenchFrontend(streamlit_like)
    before = (len(f._CACHE), len(f._BY_PATH))
    paths = ["/static/js/PlotlyChart.essai.js"] + [
        v for n in range(1, 34)
        for v in (f"/static{'/' * (n + 1)}js/PlotlyChart.essai.js",
                  f"/static/{'./' * n}js/PlotlyChart.essai.js",
                  f"/static/js/{'%2e/' * n}PlotlyChart.essai.js")
    ]  # fmt: skip

    async def run():
        for path in paths:
            await middleware({"type": "http", "path": path, "headers": []}, receive, send)

    asyncio.run(run())
    assert len(sent) == len(paths) and all("Télécharger le graphique (PNG)".encode() in b
                                           for b in sent)  # fmt: skip
    assert (len(f._CACHE), len(f._BY_PATH)) == (before[0] + 1, before[1] + 1)
    assert f.canonical("/static/js/x.js") and not f.canonical("/static//js/x.js")
    assert not f.canonical("/static/js/%2e/x.js") and not f.canonical("/static/./js/x.js")
