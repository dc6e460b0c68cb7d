"""The report's figures as PNG images, drawn offline by matplotlib (its Agg backend needs
no display and no network): grouped bars per period, one colour per territory from a
palette readable by colour-blind readers, French number formats, unknown or secret values
left without a bar (never a bar at zero)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from dashboard.tracker import fmt, palette  # noqa: E402
from dashboard.tracker.evaluation_report.model import Figure, MapFigure  # noqa: E402

#: Okabe-Ito, dark enough for 3:1 against white (the yellow is left out)
PALETTE = palette.SERIES
DPI = 150


#: a chart and a map drawn at 16 cm wide: their heights over their widths
RATIOS = {Figure: 0.5, MapFigure: 2 / 3}


def image(figure: Figure | MapFigure) -> bytes:
    """The figure as the DOCX and the PDF show it."""
    return map_png(figure) if isinstance(figure, MapFigure) else png(figure)


def png(figure: Figure) -> bytes:
    """The figure drawn at 16 × 8 cm, 150 dpi."""
    fig, ax = plt.subplots(figsize=(6.3, 6.3 * RATIOS[Figure]), dpi=DPI)
    try:
        _draw(ax, figure)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(fig)


def _draw(ax, figure: Figure) -> None:
    names = list(figure.series)
    width = 0.8 / max(len(names), 1)
    for index, name in enumerate(names):
        xs = [p + index * width - 0.4 + width / 2 for p in range(len(figure.periods))]
        known = [(x, v) for x, v in zip(xs, figure.series[name], strict=True) if v is not None]
        ax.bar([x for x, _ in known], [v for _, v in known], width=width * 0.95,
               color=PALETTE[index % len(PALETTE)], label=fmt.shorten(name, 40))  # fmt: skip
    ax.set_xticks(range(len(figure.periods)), figure.periods, fontsize=8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.measure(v)))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylabel(figure.unit, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(fmt.shorten(figure.title, 90), fontsize=9, loc="left")
    if len(names) > 1:
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def map_png(figure: MapFigure) -> bytes:
    """The territories coloured by value (light to dark blue; no value: light grey, « s »
    when secret), each labelled with its name and value on a white box."""
    from matplotlib import colormaps
    from matplotlib.patches import Polygon

    fig, ax = plt.subplots(figsize=(6.3, 6.3 * RATIOS[MapFigure]), dpi=DPI)
    try:
        known = [a.value for a in figure.areas if a.value is not None]
        low, high = (min(known), max(known)) if known else (0.0, 1.0)
        blues = colormaps["Blues"]
        for area in figure.areas:
            share = 0.5 if high == low or area.value is None else (area.value - low) / (high - low)
            colour = "#e5e7eb" if area.value is None else blues(0.25 + 0.7 * share)
            for ring in area.rings:
                ax.add_patch(Polygon(ring, closed=True, facecolor=colour, edgecolor="#1f2937",
                                     linewidth=0.6))  # fmt: skip
            value = ("s" if area.secret else "—") if area.value is None else fmt.measure(area.value)
            ax.text(*area.anchor, f"{fmt.shorten(area.label, 26)}\n{value}", ha="center",
                    va="center", fontsize=6.5,
                    bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1})  # fmt: skip
        ax.autoscale_view()
        ax.set_aspect(figure.ratio)
        ax.set_axis_off()
        ax.set_title(fmt.shorten(figure.title, 90), fontsize=9, loc="left")
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(fig)
