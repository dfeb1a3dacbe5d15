"""python-docx plumbing for a document with a Chinese government look.

A4 with GB/T 9704 margins, 黑体 titles and first-level headings, 楷体 second-level headings, 仿宋 body, 宋体
tables, page numbers "— N —" centred in the footer, table header rows repeated on every page.
Note: every run and every style names its East Asian font (w:rFonts w:eastAsia), and the theme font references
of python-docx's template are removed: a theme reference wins over a named font, so Word would otherwise show
the Chinese text in the theme's font (等线).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

HEI, SONG, FANG, KAI = "SimHei", "SimSun", "FangSong", "KaiTi"
LATIN = "Times New Roman"
BODY_STYLE, CELL_STYLE = "手册正文", "表格文字"
BODY_SIZE, CELL_SIZE = 14, 10.5  # 四号, 五号
CENTER = WD_ALIGN_PARAGRAPH.CENTER
# GB/T 9704-2012: top 37 mm, bottom 35 mm, binding side 28 mm, the other 26 mm (text block 156 × 225 mm).
MARGINS_CM = {"top_margin": 3.7, "bottom_margin": 3.5, "left_margin": 2.8, "right_margin": 2.6}
TEXT_WIDTH_CM = 15.6
# The schema fixes the order of children: these may follow w:pgNumType in w:sectPr and w:shd in w:tcPr.
_AFTER_PAGE_NUMBERS = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
    "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
_AFTER_SHADING = (
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers",
    "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
)  # fmt: skip


@dataclass(frozen=True)
class Column:
    title: str
    width_cm: float
    centered: bool = False
    never_bold: bool = False  # Note: a bold date no longer fits its column where Times New Roman is replaced


@dataclass(frozen=True)
class SpanRow:
    """A row under the previous one: its first cell joins the previous row's, the rest is one cell of text."""

    text: str


def new_document(title: str) -> DocxDocument:
    """An empty A4 document with the Chinese styles: Normal, 手册正文, 表格文字, Heading 1 and 2."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.language = "zh-CN"
    _default_fonts(document)
    styles = document.styles
    _style(styles["Normal"], SONG, 12)
    body = styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = styles["Normal"]
    _style(body, FANG, BODY_SIZE)
    body.paragraph_format.first_line_indent = Pt(2 * BODY_SIZE)  # two characters
    body.paragraph_format.line_spacing = 1.5
    cell = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = styles["Normal"]
    _style(cell, SONG, CELL_SIZE)
    cell.paragraph_format.line_spacing = 1.0
    _style(styles["Heading 1"], HEI, 16, space_before=18, space_after=10)
    _style(styles["Heading 2"], KAI, 15, space_before=12, space_after=6)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for name, value in MARGINS_CM.items():
        setattr(section, name, Cm(value))
    return document


def _default_fonts(document: DocxDocument) -> None:
    """docDefaults: named fonts instead of the template's theme fonts; Chinese as the East Asian language."""
    r_pr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(r_pr, SONG)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:  # python-docx's template has one; w:lang is the last child the template's rPr may hold
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def set_fonts(r_pr, east_asia: str) -> None:
    fonts = r_pr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute, name in (
        ("w:ascii", LATIN),
        ("w:hAnsi", LATIN),
        ("w:cs", LATIN),
        ("w:eastAsia", east_asia),
    ):
        fonts.set(qn(attribute), name)


def _style(style, east_asia: str, size: float, *, space_before: float = 0, space_after: float = 0) -> None:
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element.get_or_add_rPr(), east_asia)
    style.paragraph_format.space_before = Pt(space_before)
    style.paragraph_format.space_after = Pt(space_after)


def start_numbered_section(document: DocxDocument) -> None:
    """A new page and section whose footer counts pages from 1: the cover before it stays unnumbered."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.footer.is_linked_to_previous = False
    page_numbers = OxmlElement("w:pgNumType")
    page_numbers.set(qn("w:start"), "1")
    section._sectPr.insert_element_before(page_numbers, *_AFTER_PAGE_NUMBERS)
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = CENTER
    add_run(paragraph, "— ", SONG, 14)
    _page_field(add_run(paragraph, "", SONG, 14))
    add_run(paragraph, " —", SONG, 14)


def _page_field(run: Run) -> None:
    """A PAGE field: begin, the instruction, separate, a placeholder the reader replaces, end."""
    for kind, text in (("begin", ""), ("", " PAGE "), ("separate", ""), ("", "1"), ("end", "")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if "PAGE" in text else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def add_run(paragraph: Paragraph, text: str, font: str, size: float, bold: bool = False) -> Run:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    set_fonts(run._r.get_or_add_rPr(), font)
    return run


def paragraph(
    document: DocxDocument,
    text: str,
    *,
    font: str = FANG,
    size: float = BODY_SIZE,
    align=None,
    space_before: float = 0,
    space_after: float = 0,
    bold: bool = False,
) -> Paragraph:
    """A paragraph with directly formatted text (cover lines, captions)."""
    added = document.add_paragraph()
    added.paragraph_format.space_before = Pt(space_before)
    added.paragraph_format.space_after = Pt(space_after)
    if align is not None:
        added.alignment = align
    if text:
        add_run(added, text, font, size, bold)
    return added


def body(document: DocxDocument, text: str, *, space_before: float = 0) -> Paragraph:
    """Body text: 仿宋 四号, first line indented two characters."""
    added = document.add_paragraph(style=BODY_STYLE)
    if space_before:
        added.paragraph_format.space_before = Pt(space_before)
    add_run(added, text, FANG, BODY_SIZE)
    return added


def heading(document: DocxDocument, text: str, level: int) -> None:
    added = document.add_heading(level=level)
    added.paragraph_format.keep_with_next = True
    add_run(added, text, HEI if level == 1 else KAI, 16 if level == 1 else 15)


def table(
    document: DocxDocument,
    columns: Sequence[Column],
    rows: Sequence[Sequence[object] | SpanRow],
    *,
    bold_rows: frozenset[int] | set[int] = frozenset(),
    header: bool = True,
) -> list[list[_Cell]]:
    """A grid table: a shaded header row repeated on each page, rows never split, "\\n" starts a new line.

    Returns the cells of each plain row (not of the SpanRows); ``bold_rows`` counts rows of ``rows``.
    """
    added = document.add_table(rows=0, cols=len(columns))
    added.style = document.styles["Table Grid"]
    added.alignment = WD_TABLE_ALIGNMENT.CENTER
    added.autofit = False
    for column, spec in zip(added.columns, columns, strict=True):
        column.width = Cm(spec.width_cm)
    if header:
        _row(added, columns, [c.title for c in columns], header=True)
    added_rows = []
    for index, values in enumerate(rows):
        if isinstance(values, SpanRow):
            _span_row(added, columns, values.text)
        else:
            added_rows.append(_row(added, columns, values, bold=index in bold_rows))
    return added_rows


def _span_row(added, columns: Sequence[Column], text: str) -> None:
    above = added.rows[-1].cells
    for cell in above:  # Note: keeps the item and its note row on one page
        for each in cell.paragraphs:
            each.paragraph_format.keep_with_next = True
    cells = _row(added, columns, [""] * len(columns))
    cells[0].merge(above[0])
    wide = cells[1].merge(cells[-1])
    for number, line in enumerate(text.split("\n")):
        added_paragraph = wide.paragraphs[0] if number == 0 else wide.add_paragraph(style=CELL_STYLE)
        add_run(added_paragraph, line, SONG, CELL_SIZE)


def _row(
    added, columns: Sequence[Column], values: Sequence[object], *, header: bool = False, bold: bool = False
):
    row = added.add_row()
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page the table spans
    for cell, value, spec in zip(row.cells, values, columns, strict=True):
        cell.width = Cm(spec.width_cm)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for number, line in enumerate(str(value).split("\n")):
            added_paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
            added_paragraph.style = CELL_STYLE
            if header or spec.centered:
                added_paragraph.alignment = CENTER
            if line:  # Note: an empty cell keeps no run, so merging it into another adds no blank line
                add_run(
                    added_paragraph,
                    line,
                    HEI if header else SONG,
                    CELL_SIZE,
                    bold=bold and not spec.never_bold,
                )
        if header:
            shade(cell)
    return row.cells


def shade(cell: _Cell, fill: str = "D9D9D9") -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(shading, *_AFTER_SHADING)
