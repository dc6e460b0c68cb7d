"""The pack as an editable PowerPoint deck (16:9): native charts (editable in
PowerPoint or LibreOffice, their data in the embedded workbook), real tables, and
speaker notes naming each figure's source. A template .pptx (logo, colours, fonts,
layouts) can be given; its own slides are dropped, its layouts and theme kept."""

from __future__ import annotations

import io
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard.tracker import fmt, palette, zipsafe
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.pack.model import Chart, Pack, Slide

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
INK = RGBColor(0x1F, 0x29, 0x37)
MUTED = RGBColor(0x4B, 0x55, 0x63)
SERIES = [RGBColor(*palette.rgb(c)) for c in palette.STAGES.values()]
#: French whatever the reader's locale: thousands with a no-break space written in the
#: format itself (a « , » would follow the locale of PowerPoint or LibreOffice)
NUMBER_FORMATS = {
    "percent": '0"\u00a0%"',
    "euro": (
        '[>=1000000]#"\u00a0"###"\u00a0"##0"\u00a0€";[>=1000]#"\u00a0"##0"\u00a0€";0"\u00a0€"'
    ),
}


def _open(template: Path | None) -> tuple[Presentation, bool]:
    if template is None:
        deck = Presentation()
        _widen(deck)
        return deck, False
    unreadable = (
        f"Le modèle « {Path(template).name} » n'est pas un fichier PowerPoint lisible (.pptx)."
    )
    zipsafe.check(Path(template), Path(template).name, unreadable)
    try:
        deck = Presentation(str(template))
    except Exception as error:  # python-pptx raises several kinds for a bad file
        raise ValidationError(unreadable) from error
    slide_ids = deck.slides._sldIdLst  # noqa: SLF001 - python-pptx has no public delete
    for slide_id in list(slide_ids):
        deck.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return deck, True


def _widen(deck: Presentation) -> None:
    """python-pptx's default template is 4:3: make it 16:9, its master's and layouts'
    placeholders stretched to the new width (else titles sit in the left two thirds)."""
    ratio = WIDTH / deck.slide_width
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    shapes = [*deck.slide_master.placeholders]
    for layout in deck.slide_layouts:
        shapes += list(layout.placeholders)
    # read every inherited position first: setting one coordinate of a placeholder
    # that inherits its frame would leave the others at 0
    frames = [(s, s.left, s.top, s.width, s.height) for s in shapes if s.width is not None]
    for shape, left, top, width, height in frames:
        shape.left, shape.top = Emu(int(left * ratio)), top
        shape.width, shape.height = Emu(int(width * ratio)), height


def _layout(deck: Presentation, *, title_slide: bool):
    layouts = list(deck.slide_layouts)
    if title_slide:
        return layouts[0]
    for layout in layouts:
        if layout.name.lower() in ("title only", "titre seul"):
            return layout
    with_title = [
        lay for lay in layouts if any(p.placeholder_format.type == 1 for p in lay.placeholders)
    ]
    return min(with_title or layouts, key=lambda lay: len(lay.placeholders))


def _text(slide, left, top, width, height, lines: list[str], size: int, *, color=INK) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.font.color.rgb = color
        paragraph.space_after = Pt(6)


def _column_widths(width, columns: list[str], rows: list[list[str]], size: int, cut: int):
    """Each column as wide as its content (within bounds), and never narrower than its
    longest header word in bold, so that no header breaks inside a word."""
    weights = [
        min(cut, max(8, len(c), *(len(r[i]) for r in rows))) + 3 for i, c in enumerate(columns)
    ]
    # a bold character is about 0.62 of the point size wide; plus the cell's margins
    floors = [
        int(Pt(size) * 0.62 * max(len(word) for word in (c.split() or [""])) + Inches(0.25))
        for c in columns
    ]
    spare = max(0, int(width) - sum(floors))
    extra = [
        max(0, int(width) * w // sum(weights) - f) for w, f in zip(weights, floors, strict=True)
    ]
    scale = spare / sum(extra) if sum(extra) else 0
    return [Emu(f + int(e * scale)) for f, e in zip(floors, extra, strict=True)]


def _table(slide, left, top, width, columns: list[str], rows: list[list[str]]) -> None:
    """A real table; columns as wide as their content (within bounds), long texts cut so
    that the table stays on the slide."""
    size = 10 if len(columns) > 4 or width < Inches(8) else 12
    cut = 40 if width < Inches(8) else 80
    rows = [[fmt.shorten(v, cut) for v in row] for row in rows]
    height = Emu(int(Inches(0.3) * (len(rows) + 1)))
    shape = slide.shapes.add_table(len(rows) + 1, len(columns), left, top, width, height)
    table = shape.table
    for index, column_width in enumerate(_column_widths(width, columns, rows, size, cut)):
        table.columns[index].width = column_width
    for c, name in enumerate(columns):
        table.cell(0, c).text = name
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for r in range(len(rows) + 1):
        for c in range(len(columns)):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size)
                if c and r:
                    paragraph.alignment = (
                        PP_ALIGN.RIGHT
                        if any(ch.isdigit() for ch in rows[r - 1][c][:3])
                        else PP_ALIGN.LEFT
                    )


def _chart(slide, left, top, width, height, chart: Chart, branded: bool) -> None:
    data = CategoryChartData(number_format=NUMBER_FORMATS[chart.number_format])
    data.categories = chart.categories
    for name, values in chart.series.items():
        data.add_series(name, values)
    kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    graphic = slide.shapes.add_chart(kind, left, top, width, height, data).chart
    graphic.has_title = True
    graphic.chart_title.text_frame.text = chart.title
    graphic.chart_title.text_frame.paragraphs[0].font.size = Pt(14)
    graphic.has_legend = len(chart.series) > 1
    if graphic.has_legend:
        graphic.legend.position = XL_LEGEND_POSITION.BOTTOM
        graphic.legend.include_in_layout = False
    plot = graphic.plots[0]
    plot.has_data_labels = chart.number_format == "percent"
    if plot.has_data_labels:
        plot.data_labels.number_format = NUMBER_FORMATS["percent"]
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.font.size = Pt(11)
    value_axis = graphic.value_axis
    value_axis.tick_labels.number_format = NUMBER_FORMATS[chart.number_format]
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.tick_labels.font.size = Pt(11)
    if chart.number_format == "percent":
        value_axis.maximum_scale, value_axis.minimum_scale = 100, 0
    graphic.category_axis.tick_labels.font.size = Pt(11)
    if chart.horizontal:
        graphic.category_axis.reverse_order = True  # first category at the top
    if not branded:
        for index, series in enumerate(plot.series):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = SERIES[index % len(SERIES)]


def _content(deck, slide_data: Slide, number: int, pack: Pack, branded: bool) -> None:
    slide = deck.slides.add_slide(_layout(deck, title_slide=False))
    if slide.shapes.title is not None:
        slide.shapes.title.text = slide_data.title
        for paragraph in slide.shapes.title.text_frame.paragraphs:
            paragraph.font.size = Pt(30)
    else:
        _text(slide, Inches(0.6), Inches(0.3), Inches(12), Inches(0.9), [slide_data.title], 30)
    left, top, width = Inches(0.6), Inches(1.45), Inches(12.1)
    lines = slide_data.lines
    chars = sum(len(line) for line in lines)
    if slide_data.chart is None and slide_data.table is None:
        line_size = 18 if chars < 600 else 15 if chars < 1000 else 12
    else:
        line_size = 15 if chars < 300 else 12
    line_height = Inches(0.42 if line_size == 15 else 0.5) * max(1, min(len(lines), 12))
    if slide_data.chart is not None or slide_data.table is not None:
        lines_height = Emu(min(int(line_height), int(Inches(1.4))))
    else:
        lines_height = Inches(5.4)
    _text(slide, left, top, width, lines_height, lines, line_size)
    body_top = top + lines_height + Inches(0.1)
    body_height = Inches(7.0) - body_top
    if slide_data.chart is not None and slide_data.table is not None:
        columns, rows = slide_data.table
        if len(rows) <= 4:  # a short table goes under a full-width chart
            table_height = Inches(0.3) * (len(rows) + 1)
            chart_height = Emu(int(body_height - table_height - Inches(0.15)))
            _chart(slide, left, body_top, width, chart_height, slide_data.chart, branded)
            _table(slide, left, body_top + chart_height + Inches(0.1), width, columns, rows)
        else:  # side by side; the side table keeps 8 rows, the rest is in the workbook
            shown = rows[:8]
            if len(rows) > 8:
                shown = [*rows[:7], [f"… et {len(rows) - 7} autres"] + [""] * (len(columns) - 1)]
            _chart(slide, left, body_top, Inches(5.6), body_height, slide_data.chart, branded)
            _table(slide, Inches(6.4), body_top, Inches(6.3), columns, shown)
    elif slide_data.chart is not None:
        _chart(slide, left, body_top, width, body_height, slide_data.chart, branded)
    elif slide_data.table is not None:
        _table(slide, left, body_top, width, *slide_data.table)
    _footer(slide, pack, number)
    slide.notes_slide.notes_text_frame.text = "Sources :\n" + "\n".join(slide_data.notes)


def _footer(slide, pack: Pack, number: int) -> None:
    _text(
        slide,
        Inches(0.6),
        Inches(7.05),
        Inches(12.1),
        Inches(0.35),
        [
            f"{pack.stamp}cdv-tracker · {pack.label} · chiffres au {fmt.date_fr(pack.as_of)} · "
            f"{number}"
        ],  # fmt: skip
        10,
        color=MUTED,
    )


def deck_bytes(pack: Pack, template: Path | None = None) -> bytes:
    deck, branded = _open(template)
    first, *rest = pack.slides
    title = deck.slides.add_slide(_layout(deck, title_slide=True))
    title.shapes.title.text = first.title
    subtitle = [p for p in title.placeholders if p.placeholder_format.idx == 1]
    if subtitle:
        subtitle[0].text = "\n".join(first.lines)
        for paragraph in subtitle[0].text_frame.paragraphs:
            paragraph.font.size = Pt(18)
    else:
        _text(title, Inches(0.8), Inches(4.2), Inches(11.7), Inches(2.5), first.lines, 18)
    title.notes_slide.notes_text_frame.text = "Sources :\n" + "\n".join(first.notes)
    if pack.fictional:
        _footer(title, pack, 1)
    for number, slide_data in enumerate(rest, start=2):
        _content(deck, slide_data, number, pack, branded)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
