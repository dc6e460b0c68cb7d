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
