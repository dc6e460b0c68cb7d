"""The evaluation report as PDF (reportlab, offline): portrait A4, the same headings as
the DOCX with a table of contents and PDF bookmarks, the figures as images followed by
their data table and source, « PROJET » on every page until validated, « page N / M »."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame
from reportlab.platypus.tableofcontents import TableOfContents

from dashboard.tracker import fmt
from dashboard.tracker.evaluation_report.figures import RATIOS, image
from dashboard.tracker.evaluation_report.model import Figure, MapFigure, Report, Table
from dashboard.tracker.pack.pdf import register_fonts

BLUE = colors.HexColor("#1f4e79")
RED = colors.HexColor("#b00020")


def _escape(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Document(BaseDocTemplate):
    """Headings feed the table of contents and the PDF outline."""

    def __init__(self, out, report: Report, font: str, bold: str):
        super().__init__(out, pagesize=A4, title=report.title, author="cdv-tracker",
                         subject=f"Évaluation au {fmt.date_fr(report.as_of)}", lang="fr-FR",
                         leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2.2 * cm,
                         bottomMargin=2 * cm)  # fmt: skip
        self.report, self.font, self.bold = report, font, bold
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])
        self._heading_count = 0

    def beforeDocument(self) -> None:
        self._heading_count = 0  # each pass of multiBuild names the same headings alike

    def afterFlowable(self, flowable) -> None:
        level = getattr(flowable, "heading_level", None)
        if level is None:
            return
        text = flowable.getPlainText()
        key = f"h{self._heading_count}"
        self._heading_count += 1
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level - 1, closed=level > 1)
        self.notify("TOCEntry", (level - 1, text, self.page, key))

    def _decorate(self, canvas, doc) -> None:
        canvas.saveState()
        width, height = A4
        if self.report.stamp:
            canvas.setFont(self.bold, 9)
            canvas.setFillColor(RED if self.report.draft else BLUE)
            canvas.drawCentredString(width / 2, height - 1.3 * cm, self.report.stamp)
        if self.report.draft:
            canvas.setFillColor(colors.Color(0.69, 0, 0.13, alpha=0.08))
            canvas.setFont(self.bold, 90)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, 0, "PROJET")
            canvas.rotate(-45)
            canvas.translate(-width / 2, -height / 2)
        canvas.setFillColor(colors.black)
        canvas.setFont(self.font, 8)
        # a long title is cut at a word so that it never runs into the page number
        canvas.drawString(2 * cm, 1.2 * cm, f"{fmt.shorten(self.report.title, 95)} · au "
                          f"{fmt.date_fr(self.report.as_of)}")  # fmt: skip
        canvas.drawRightString(width - 2 * cm, 1.2 * cm, f"page {doc.page}")
        canvas.restoreState()


def pdf_bytes(report: Report) -> bytes:
    font, bold = register_fonts()
    out = io.BytesIO()
    doc = _Document(out, report, font, bold)
    doc.multiBuild(_story(report, font, bold))
    return out.getvalue()


def _styles(font: str, bold: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=13.5, spaceAfter=5)
    return {
        "body": body,
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=bold,
            fontSize=20,
            leading=25,
            textColor=BLUE,
            spaceAfter=12,
        ),  # fmt: skip
        1: ParagraphStyle(
            "h1",
            parent=body,
            fontName=bold,
            fontSize=15,
            leading=19,
            keepWithNext=1,
            textColor=BLUE,
            spaceBefore=12,
            spaceAfter=6,
        ),  # fmt: skip
        2: ParagraphStyle(
            "h2",
            parent=body,
            fontName=bold,
            fontSize=12.5,
            leading=16,
            keepWithNext=1,
            spaceBefore=9,
            spaceAfter=4,
        ),  # fmt: skip
        3: ParagraphStyle(
            "h3",
            parent=body,
            fontName=bold,
            fontSize=11,
            leading=14,
            keepWithNext=1,
            spaceBefore=6,
            spaceAfter=3,
        ),  # fmt: skip
        "caption": ParagraphStyle(
            "caption", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#374151")
        ),  # fmt: skip
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=10, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=body, fontSize=9, leftIndent=14),
        "toc3": ParagraphStyle("toc3", parent=body, fontSize=8.5, leftIndent=28),
    }


def _heading(text: str, level: int, styles) -> Paragraph:
    paragraph = Paragraph(_escape(text), styles[level])
    paragraph.heading_level = level
    return paragraph


def _story(report: Report, font: str, bold: str) -> list:
    styles = _styles(font, bold)
    toc = TableOfContents()
    toc.levelStyles = [styles["toc1"], styles["toc2"], styles["toc3"]]
    story = [
        Paragraph(_escape(report.title), styles["title"]),
        Paragraph(_escape(f"Programme {report.programme_code} · état au {fmt.date_fr(report.as_of)}"),
                  styles["body"]),
        Paragraph(_escape(f"Généré le {fmt.datetime_fr(report.generated_at)} à partir du suivi "
                          "cdv-tracker." + (f" {report.validated_note}" if report.validated_note else "")),
                  styles["body"]),
        Spacer(1, 12),
        Paragraph("Table des matières", styles[1]),
        toc,
        PageBreak(),
    ]  # fmt: skip
    for section in report.sections:
        story.append(_heading(section.title, section.level, styles))
        for block in section.blocks:
            story.extend(_block(block, styles))
    return story


def _block(block, styles) -> list:
    if isinstance(block, Figure | MapFigure):
        picture = Image(io.BytesIO(image(block)), width=16 * cm,
                        height=16 * cm * RATIOS[type(block)])  # fmt: skip
        caption = Paragraph(_escape(f"Figure {block.number} — {block.title}"), styles["caption"])
        return [KeepTogether([picture, caption]), *_table(block.table, styles)]
    if isinstance(block, Table):
        return _table(block, styles)
    if isinstance(block, list):
        return [ListFlowable([ListItem(Paragraph(_escape(i), styles["body"])) for i in block],
                             bulletType="bullet", start="•", leftIndent=12)]  # fmt: skip
    return [Paragraph(_escape(block), styles["body"])]


def _table(table: Table, styles) -> list:
    cell = styles["cell"]
    rows = [[Paragraph(f"<b>{_escape(h)}</b>", cell) for h in table.headers]]
    rows += [[Paragraph(_escape(v), cell) for v in row] for row in table.rows]
    grid = PdfTable(rows, repeatRows=1, hAlign="LEFT",
                    colWidths=[17 * cm / len(table.headers)] * len(table.headers))  # fmt: skip
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9ca3af")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e7eb")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    parts = [Paragraph(_escape(table.caption), styles["caption"]), grid]
    if table.note:
        parts.append(Paragraph(_escape(table.note), styles["caption"]))
    parts.append(Paragraph(_escape(f"Source : {table.source}"), styles["caption"]))
    parts.append(Spacer(1, 6))
    return parts
