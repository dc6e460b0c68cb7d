"""The KPI tiles of one programme (overview page): the key figures as the tracker
computes them (``tracker/key_figures``), laid out as tiles."""

from __future__ import annotations

from dashboard.tracker import key_figures
from dashboard.ui.widgets import html, tiles_html


def tiles(summary: dict) -> None:
    html(tiles_html(key_figures.tiles(summary)))
