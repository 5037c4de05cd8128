"""The document block model: what a document says, independent of OOXML.

``documents`` builds these blocks from the plan; ``word`` turns them into paragraphs, tables and
content controls. Keeping them plain data makes golden text dumps and redlines easy.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A piece of text with emphasis; ``\\n`` inside text is a line break."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    style: str = "BodyText"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class ListItem:
    """An item of a bulleted or numbered list; ``list_key`` identifies one list (numbering restarts)."""

    runs: list[Run]
    ordered: bool
    level: int
    list_key: str

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Heading:
    """A numbered heading (level 1 section, level 2 clause); ``number`` is what Word will show."""

    text: str
    level: int
    number: str
    anchor: str = ""


@dataclass
class Control:
    """A content control a supplier fills in (``kind`` text, integer, number, percent, date, choice, yes-no)."""

    tag: str
    kind: str
    alias: str
    placeholder: str
    options: list[str] = field(default_factory=list)  # choice, yes-no: the stable value of each item
    labels: list[str] = field(default_factory=list)  # what each option shows, in the document's language


@dataclass
class Cell:
    runs: list[Run] = field(default_factory=list)
    control: Control | None = None
    shade: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    widths: list[int]  # twentieths of a point, summing to the text width
    style: str = "TenderTable"


@dataclass
class Note:
    """A shaded guidance box (drafting edition only)."""

    label: str
    blocks: list[Paragraph | ListItem]


@dataclass
class Toc:
    """The table of contents; its entries are filled in at build time from the headings."""

    title: str
    entries: list[Heading] = field(default_factory=list)


Block = Paragraph | ListItem | Heading | Table | Note | Toc


def text_of(block: Block) -> str:
    """Plain text of a block (for golden dumps and tests)."""
    if isinstance(block, Paragraph | ListItem):
        return block.text
    if isinstance(block, Heading):
        return f"{block.number} {block.text}"
    if isinstance(block, Note):
        return "\n".join(text_of(b) for b in block.blocks)
    if isinstance(block, Table):
        rows = [" | ".join(block.header)]
        for row in block.rows:
            rows.append(" | ".join(f"[{c.control.tag}]" if c.control else c.text for c in row))
        return "\n".join(rows)
    return block.title
