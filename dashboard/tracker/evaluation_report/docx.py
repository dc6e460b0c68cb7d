"""The evaluation report as an editable Word document (python-docx): Word's own heading
styles (« Titre 1/2/3 » in a French Word) so that the table of contents and the
navigation pane work, a TOC field updated when the file is opened, numbered figures
with their alternative text followed by their data table and source, tables with a
repeated header row, « Projet » in the header of every page until validated."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from dashboard.tracker import fmt
from dashboard.tracker.evaluation_report.figures import image
from dashboard.tracker.evaluation_report.model import Figure, MapFigure, Report, Section, Table

LANGUAGE = "fr-FR"
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'


def docx_bytes(report: Report) -> bytes:
    doc = Document()
    _setup(doc, report)
    _cover(doc, report)
    for section in report.sections:
        _section(doc, section)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _setup(doc, report: Report) -> None:
    props = doc.core_properties
    props.title, props.language, props.author = report.title, LANGUAGE, "cdv-tracker"
    props.subject = f"{report.subject} au {fmt.date_fr(report.as_of)}"
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title", "Caption"):
        _language(doc.styles[name].element)
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    header = section.header.paragraphs[0]
    header.text = report.stamp or f"Rapport validé — {report.validated_note or ''}".strip(" —")
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.draft:
        for run in header.runs:
            run.bold = True
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    footer = section.footer.paragraphs[0]
    footer.text = f"{report.title} · au {fmt.date_fr(report.as_of)} · page "
    _field(footer, "PAGE")


def _language(style_element) -> None:
    rpr = style_element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    rpr.append(lang)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC…) that Word computes when it opens the document."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       (None, placeholder), ("end", None)):  # fmt: skip
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text is instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _cover(doc, report: Report) -> None:
    doc.add_paragraph(report.title, style="Title")
    doc.add_paragraph(f"Programme {report.programme_code} · état au {fmt.date_fr(report.as_of)}")
    doc.add_paragraph(
        f"Généré le {fmt.datetime_fr(report.generated_at)} à partir du suivi cdv-tracker."
        + (f" {report.validated_note}" if report.validated_note else "")
    )
    if report.stamp:
        doc.add_paragraph(report.stamp).runs[0].bold = True
    doc.add_paragraph("Table des matières", style="TOC Heading" if "TOC Heading" in
                      [s.name for s in doc.styles] else "Heading 1")  # fmt: skip
    _field(doc.add_paragraph(), TOC_INSTRUCTION,
           "Table des matières : ouvrez le document dans Word ou LibreOffice pour la mettre à jour.")  # fmt: skip
    doc.add_page_break()


def _section(doc, section: Section) -> None:
    doc.add_heading(section.title, level=section.level)
    for block in section.blocks:
        if isinstance(block, Figure | MapFigure):
            _figure(doc, block)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, list):
            for item in block:
                doc.add_paragraph(str(item), style="List Bullet")
        else:
            doc.add_paragraph(str(block))


def _figure(doc, figure: Figure | MapFigure) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = paragraph.add_run().add_picture(io.BytesIO(image(figure)), width=Cm(16))
    shape._inline.docPr.set("descr", figure.alt)
    shape._inline.docPr.set("title", f"Figure {figure.number}")
    doc.add_paragraph(f"Figure {figure.number} — {figure.title}", style="Caption")
    _table(doc, figure.table)


def _table(doc, table: Table) -> None:
    doc.add_paragraph(table.caption, style="Caption")
    grid = doc.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    header = grid.rows[0]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    for cell, text in zip(header.cells, table.headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    if table.note:
        doc.add_paragraph(table.note).runs[0].italic = True
    doc.add_paragraph(f"Source : {table.source}").runs[0].italic = True
