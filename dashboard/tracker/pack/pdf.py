"""The pack as a PDF for circulation and archiving (reportlab, offline): landscape A4
pages filled slide after slide (a slide's title, lines and chart kept together),
vector charts, « page N / M » and « généré le … » on every page, and
an embedded Unicode font so that babel's narrow no-break spaces (U+202F) render.

The font is DejaVu Sans, looked up in ``CDV_PDF_FONT`` (a .ttf path), then in the usual
system folders (Debian/Ubuntu ``fonts-dejavu-core``, Fedora, macOS with Homebrew)."""

from __future__ import annotations

import io
import os
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dashboard.tracker import fmt, palette
from dashboard.tracker.errors import TrackerError
from dashboard.tracker.pack.model import Chart, Pack

FONT_DIRS = [
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/opt/homebrew/share/fonts",
    str(Path.home() / "Library/Fonts"),
    "/Library/Fonts",
]
BLUE = colors.HexColor("#1f4e79")
SERIES = [colors.HexColor(c) for c in palette.STAGES.values()]
INSTALL_HINT = (
    "Police Unicode DejaVu Sans introuvable : installez-la (Debian/Ubuntu : "
    "« apt-get install fonts-dejavu-core », Fedora : « dnf install dejavu-sans-fonts », "
    "macOS : « brew install --cask font-dejavu ») ou indiquez son fichier dans "
    "CDV_PDF_FONT=/chemin/DejaVuSans.ttf."
)


class FontMissing(TrackerError):
    """No Unicode font to embed in the PDF."""


def _find(name: str) -> Path | None:
    for folder in FONT_DIRS:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


def register_fonts() -> tuple[str, str]:
    """(regular, bold) font names registered with reportlab."""
    if "CDV-Sans" in pdfmetrics.getRegisteredFontNames():
        return "CDV-Sans", "CDV-Sans-Bold"
    override = os.environ.get("CDV_PDF_FONT")
    regular = Path(override) if override else _find("DejaVuSans.ttf")
    if regular is None or not regular.is_file():
        raise FontMissing(INSTALL_HINT)
    bold = regular.with_name("DejaVuSans-Bold.ttf")
    pdfmetrics.registerFont(TTFont("CDV-Sans", str(regular)))
    pdfmetrics.registerFont(TTFont("CDV-Sans-Bold", str(bold if bold.is_file() else regular)))
    return "CDV-Sans", "CDV-Sans-Bold"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _chart(chart: Chart, font: str, width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 14, chart.title, fontName=font, fontSize=11))
    horizontal = chart.horizontal
    plot = HorizontalBarChart() if horizontal else VerticalBarChart()
    label_room = 150 if horizontal else 0
    legend_room = 28 if len(chart.series) > 1 else 0
    plot.x, plot.y = 10 + label_room + 45 * (not horizontal), 30 + legend_room
    plot.width = width - plot.x - 20
    plot.height = height - plot.y - 30
    plot.data = [tuple(values) for values in chart.series.values()]
    plot.categoryAxis.categoryNames = [
        c if len(c) <= 34 else c[:33] + "…" for c in chart.categories
    ]
    plot.categoryAxis.labels.fontName = font
    plot.categoryAxis.labels.fontSize = 8
    if horizontal:
        plot.categoryAxis.reverseDirection = True
        plot.categoryAxis.labels.boxAnchor = "e"
    else:
        plot.categoryAxis.labels.angle = 0 if len(chart.categories) <= 4 else 30
        plot.categoryAxis.labels.boxAnchor = "n" if len(chart.categories) <= 4 else "ne"
    plot.valueAxis.labels.fontName = font
    plot.valueAxis.labels.fontSize = 8
    plot.valueAxis.valueMin = 0
    if chart.number_format == "percent":
        plot.valueAxis.valueMax = 100
        plot.valueAxis.valueStep = 20
        plot.valueAxis.labelTextFormat = lambda v: fmt.percent(v)
    else:
        plot.valueAxis.labelTextFormat = lambda v: fmt.money(v)
        top = chart.top
        if top == 0:
            plot.valueAxis.valueMax = 1
    for index in range(len(chart.series)):
        plot.bars[index].fillColor = SERIES[index % len(SERIES)]
        plot.bars[index].strokeColor = None
    plot.barLabels.fontName = font
    plot.barLabels.fontSize = 8
    if chart.number_format == "percent":
        plot.barLabelFormat = lambda v: fmt.percent(v)
        plot.barLabels.nudge = 12
    drawing.add(plot)
    if legend_room:
        legend = Legend()
        legend.x, legend.y = plot.x, 12
        legend.fontName, legend.fontSize = font, 9
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.deltax = 90
        legend.colorNamePairs = [
            (SERIES[i % len(SERIES)], name) for i, name in enumerate(chart.series)
        ]
        drawing.add(legend)
    return drawing


def pdf_bytes(pack: Pack) -> bytes:
    font, bold = register_fonts()
    title_style = ParagraphStyle("titre", fontName=bold, fontSize=20, leading=25, textColor=BLUE)
    line_style = ParagraphStyle(
        "ligne", fontName=font, fontSize=11, leading=15, alignment=TA_LEFT, spaceAfter=3
    )
    cell_style = ParagraphStyle("cellule", fontName=font, fontSize=8.5, leading=10.5)
    head_style = ParagraphStyle("entete", parent=cell_style, fontName=bold)
    note_style = ParagraphStyle(
        "note", fontName=font, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#4b5563")
    )
    generated = fmt.datetime_fr(pack.generated_at)
    page_width, page_height = landscape(A4)
    frame_width = page_width - 3 * cm

    def decorate(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#4b5563"))
        canvas.drawString(
            1.5 * cm,
            0.9 * cm,
            f"{pack.stamp}cdv-tracker · {pack.label} ({pack.span}) · chiffres au "
            f"{fmt.date_fr(pack.as_of)} · "
            f"généré le {generated}",
        )
        canvas.restoreState()

    story = []
    for slide in pack.slides:
        block = [Paragraph(_escape(slide.title), title_style), Spacer(1, 8)]
        block += [Paragraph("• " + _escape(line), line_style) for line in slide.lines]
        block.append(Spacer(1, 8))
        if slide.chart is not None:
            categories = len(slide.chart.categories)
            if slide.chart.horizontal:
                height = min(250, 70 + 26 * categories * len(slide.chart.series))
            else:
                height = 250 if slide.table is None else 200
            block.append(_chart(slide.chart, font, frame_width - 10, height))
            block.append(Spacer(1, 6))
        story.append(KeepTogether(block))  # a title never left alone at a page's foot
        if slide.table is not None:
            columns, rows = slide.table
            data = [[Paragraph(_escape(c), head_style) for c in columns]] + [
                [Paragraph(_escape(v), cell_style) for v in row] for row in rows
            ]
            widths = column_widths(columns, rows, frame_width, bold, head_style.fontSize)
            table = Table(data, colWidths=widths, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c7d2de")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
        if slide.notes:
            story.append(Spacer(1, 6))
            story.append(Paragraph("Sources : " + _escape(" · ".join(slide.notes[:8])), note_style))
        story.append(Spacer(1, 22))  # slides follow one another: pages are filled
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.3 * cm,
        bottomMargin=1.5 * cm,
        title=f"Point trimestriel {pack.label} — cdv-tracker",
        author="cdv-tracker",
        lang="fr-FR",
    )
    document.build(
        story,
        onFirstPage=decorate,
        onLaterPages=decorate,
        canvasmaker=numbered_canvas(font, page_width - 1.5 * cm, 0.9 * cm),
    )
    return buffer.getvalue()


def numbered_canvas(font: str, right: float, bottom: float) -> type[Canvas]:
    """A canvas that writes « page N / M » on every page once the total is known
    (ReportLab lays pages out one by one: they are kept, then numbered at the end)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.saveState()
                self.setFont(font, 8)
                self.setFillColor(colors.HexColor("#4b5563"))
                self.drawRightString(right, bottom, f"page {self._pageNumber} / {total}")
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def column_widths(
    columns: list[str], rows: list[list[str]], frame_width: float, bold: str, size: float
) -> list[float]:
    """Columns as wide as their longest text (within bounds), the frame filled, and
    none narrower than its longest header word (a header never breaks inside a word)."""
    weights = [min(60, max(8, len(c), *(len(r[i]) for r in rows))) for i, c in enumerate(columns)]
    floors = [
        max(pdfmetrics.stringWidth(word, bold, size) for word in (c.split() or [""])) + 14
        for c in columns
    ]
    spare = max(0.0, frame_width - sum(floors))
    extra = [
        max(0.0, frame_width * w / sum(weights) - f) for w, f in zip(weights, floors, strict=True)
    ]
    scale = spare / sum(extra) if sum(extra) else 0.0
    return [f + e * scale for f, e in zip(floors, extra, strict=True)]
