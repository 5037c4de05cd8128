"""Blocks → WordprocessingML fragments.

Text is escaped here and nowhere else; headings take their numbers from the heading styles' numbering
definition (``w:numPr`` in styles.xml), never from typed digits; each list gets its own ``w:num`` so that
its numbering restarts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from ..blocks import Block, Cell, Control, Heading, ListItem, Note, Paragraph, Run, Table, Toc

TEXT_WIDTH = 9638  # twips: A4 (11906) less two 2-cm margins
HEADING_NUM_ID = 1  # w:num of the multi-level clause numbering bound to Heading1-3
BULLET_NUM_ID = 2  # w:num for bullets, defined in every template
ORDERED_ABSTRACT_ID = 3  # abstractNum for numbered lists inside clause text
FIRST_LIST_NUM_ID = 100

CONTROL_PLACEHOLDERS = {
    "text": "Click or tap here to enter text.",
    "integer": "Enter a whole number.",
    "number": "Enter a number.",
    "percent": "Enter a percentage.",
    "date": "Click or tap to enter a date.",
    "choice": "Choose an item.",
    "yes-no": "Choose an item.",
    "evidence": "Enter the file name or link of the evidence.",
}


def t(text: str) -> str:
    """A run's text, with line breaks as ``w:br``."""
    parts = text.split("\n")
    out = []
    for i, part in enumerate(parts):
        if i:
            out.append("<w:br/>")
        if part:
            out.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
    return "".join(out)


def run(r: Run, extra_rpr: str = "") -> str:
    rpr = ("<w:b/>" if r.bold else "") + ("<w:i/>" if r.italic else "") + extra_rpr
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{t(r.text)}</w:r>"


def para(runs: list[Run] | str, style: str, ppr_extra: str = "") -> str:
    if isinstance(runs, str):
        runs = [Run(runs)]
    body = "".join(run(r) for r in runs)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr_extra}</w:pPr>{body}</w:p>'


@dataclass
class Numbering:
    """Allocates one ``w:num`` per numbered list so that each restarts at 1."""

    next_id: int = FIRST_LIST_NUM_ID
    by_key: dict[str, int] = field(default_factory=dict)

    def num_for(self, key: str) -> int:
        if key not in self.by_key:
            self.by_key[key] = self.next_id
            self.next_id += 1
        return self.by_key[key]

    def xml(self) -> list[str]:
        """``w:num`` elements to append to numbering.xml."""
        out = []
        for num_id in sorted(self.by_key.values()):
            overrides = "".join(
                f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="1"/></w:lvlOverride>' for lvl in range(3)
            )
            out.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{ORDERED_ABSTRACT_ID}"/>{overrides}</w:num>')
        return out


@dataclass
class Writer:
    """Turns blocks into body XML; keeps the counters that must be unique within a document."""

    numbering: Numbering = field(default_factory=Numbering)
    control_id: int = 1000
    bookmark_id: int = 0

    def blocks(self, blocks: list[Block]) -> str:
        return "".join(self.block(b) for b in blocks)

    def block(self, b: Block) -> str:
        if isinstance(b, Paragraph):
            return para(b.runs, b.style)
        if isinstance(b, ListItem):
            return self.list_item(b)
        if isinstance(b, Heading):
            return self.heading(b)
        if isinstance(b, Table):
            return self.table(b)
        if isinstance(b, Note):
            return self.note(b)
        if isinstance(b, Toc):
            return self.toc(b)
        raise TypeError(f"unknown block {b!r}")

    def heading(self, h: Heading) -> str:
        style = f"Heading{h.level}"
        bookmark = ""
        if h.anchor:
            self.bookmark_id += 1
            bid = self.bookmark_id
            bookmark = f'<w:bookmarkStart w:id="{bid}" w:name={quoteattr(h.anchor)}/><w:bookmarkEnd w:id="{bid}"/>'
        # the style carries the numbering too; repeating it on the paragraph keeps the number if a user
        # re-styles the paragraph by hand, and makes the numbering visible to readers of document.xml
        numpr = f'<w:numPr><w:ilvl w:val="{h.level - 1}"/><w:numId w:val="{HEADING_NUM_ID}"/></w:numPr>'
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{numpr}</w:pPr>{bookmark}'
            f'<w:r><w:t xml:space="preserve">{escape(h.text)}</w:t></w:r></w:p>'
        )

    def list_item(self, item: ListItem) -> str:
        num_id = self.numbering.num_for(item.list_key) if item.ordered else BULLET_NUM_ID
        style = "ListNumber" if item.ordered else "ListBullet"
        numpr = f'<w:numPr><w:ilvl w:val="{min(item.level, 2)}"/><w:numId w:val="{num_id}"/></w:numPr>'
        return para(item.runs, style, numpr)

    def note(self, n: Note) -> str:
        out = [para([Run(n.label, bold=True)], "Guidance")]
        for b in n.blocks:
            if isinstance(b, ListItem):
                out.append(para([Run("\u2022 "), *b.runs], "Guidance"))
            else:
                out.append(para(b.runs, "Guidance"))
        return "".join(out)

    def toc(self, toc: Toc) -> str:
        """A TOC field that Word refreshes on opening, with entries filled in for readers that don't."""
        head = para(toc.title, "TOCHeading")
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if not toc.entries:
            return head + f'<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{begin}{end}</w:p>'
        paras = []
        last = len(toc.entries) - 1
        for i, h in enumerate(toc.entries):
            body = (
                f'<w:r><w:t xml:space="preserve">{escape(h.number)}</w:t></w:r><w:r><w:tab/></w:r>'
                f'<w:r><w:t xml:space="preserve">{escape(h.text)}</w:t></w:r>'
            )
            paras.append(
                f'<w:p><w:pPr><w:pStyle w:val="TOC{min(h.level, 2)}"/></w:pPr>'
                f"{begin if i == 0 else ''}{body}{end if i == last else ''}</w:p>"
            )
        return head + "".join(paras)

    def table(self, tb: Table) -> str:
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in tb.widths)
        tblpr = (
            f'<w:tblPr><w:tblStyle w:val="{tb.style}"/><w:tblW w:w="{sum(tb.widths)}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
            'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        )
        rows = []
        header_cells = "".join(
            self._cell(Cell([Run(h, bold=True)]), w, "TableHeading") for h, w in zip(tb.header, tb.widths, strict=True)
        )
        rows.append(f'<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{header_cells}</w:tr>')
        for row in tb.rows:
            cells = "".join(self._cell(c, w, "TableText") for c, w in zip(row, tb.widths, strict=True))
            rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
        # an empty paragraph after a table keeps two tables from merging and gives Word a place for the cursor
        return f"<w:tbl>{tblpr}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>" + para("", "BodyText")

    def _cell(self, cell: Cell, width: int, style: str) -> str:
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>' if cell.shade else ""
        tcpr = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
        if cell.control is not None:
            content = f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{self.control(cell.control)}</w:p>'
        else:
            lines = _split_lines(cell.runs) or [[]]
            content = "".join(para(line, style) for line in lines)
        return f"<w:tc>{tcpr}{content}</w:tc>"

    def control(self, c: Control) -> str:
        """An inline content control (``w:sdt``) typed by the answer kind."""
        self.control_id += 1
        kind = c.kind
        head = f"<w:alias w:val={quoteattr(c.alias)}/><w:tag w:val={quoteattr(c.tag)}/><w:id w:val=\"{self.control_id}\"/>"
        placeholder_run = (
            '<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(c.placeholder)}</w:t></w:r>'
        )
        if kind in ("choice", "yes-no"):
            # the value of each item is its stable id (the English option, 'yes' / 'no'), which Word keeps in
            # w:lastValue and LibreOffice in the list items; the display text is in the document's language
            shown = c.labels if len(c.labels) == len(c.options) else c.options
            items = f'<w:listItem w:displayText={quoteattr(c.placeholder)} w:value=""/>' + "".join(
                f"<w:listItem w:displayText={quoteattr(label)} w:value={quoteattr(o)}/>" for o, label in zip(c.options, shown, strict=True)
            )
            typed = f'<w:dropDownList w:lastValue="">{items}</w:dropDownList>'
        elif kind == "date":
            typed = (
                '<w:date><w:dateFormat w:val="yyyy-MM-dd"/><w:lid w:val="en-GB"/>'
                '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>'
            )
        else:
            typed = "<w:text/>"
        pr = f"{head}<w:showingPlcHdr/>{typed}"
        return f"<w:sdt><w:sdtPr>{pr}</w:sdtPr><w:sdtContent>{placeholder_run}</w:sdtContent></w:sdt>"


def _split_lines(runs: list[Run]) -> list[list[Run]]:
    """Cell text: a blank line (``\\n\\n``) starts a new paragraph."""
    lines: list[list[Run]] = [[]]
    for r in runs:
        parts = r.text.split("\n\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append(Run(part, r.bold, r.italic))
    return [line for line in lines if line] if any(lines) else []
