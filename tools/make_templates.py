"""Write the five Word templates in templates/ from scratch.

The templates are sources: a legal team opens and edits them in Word. This script is how they were first
made (and how to reset one): every part is written here explicitly, so the package holds only what we
understand — no thumbnail, no stylesWithEffects, A4 paper, named styles bound to one multi-level list.

    python tools/make_templates.py            # rewrite all (the five kinds and the evaluation report)
    python tools/make_templates.py annex      # rewrite one
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tenderpack.word.render import normalize_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = (
    f'xmlns:w="{W}" xmlns:r="{R}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14"'
)
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
KINDS = ("tender", "annex", "questionnaire", "policy", "checklist")
EXTRA = ("evaluation",)  # templates of documents that are not pack kinds (`responses score` writes this one)
TEXT_WIDTH = 9638

CONTENT_TYPES = (
    HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
DOC_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>'
    '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
    '<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>'
    "</Relationships>"
)


def core(kind: str) -> str:
    return (
        HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>tenderpack template: {kind}</dc:title><dc:creator>tenderpack</dc:creator>"
        "<cp:lastModifiedBy>tenderpack</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )


APP = (
    HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>tenderpack</Application><DocSecurity>0</DocSecurity></Properties>"
)

FONTS = (
    HEAD + f'<w:fonts {NS}><w:font w:name="Arial"><w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    '<w:font w:name="MS Gothic"><w:charset w:val="80"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
    "</w:fonts>"
)

SETTINGS = (
    HEAD + f'<w:settings {NS}><w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="en-GB"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
)


def style(sid: str, name: str, ppr: str = "", rpr: str = "", based: str = "Normal", kind: str = "paragraph",
          extra: str = "", next_: str = "") -> str:
    based_on = f'<w:basedOn w:val="{based}"/>' if based else ""
    nxt = f'<w:next w:val="{next_}"/>' if next_ else ""
    return (
        f'<w:style w:type="{kind}" w:customStyle="0" w:styleId="{sid}"><w:name w:val="{name}"/>{based_on}{nxt}'
        f'<w:qFormat/>{f"<w:pPr>{ppr}</w:pPr>" if ppr else ""}{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}{extra}</w:style>'
    )


def sz(points: float) -> str:
    half = int(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"'
STYLES = (
    HEAD + f"<w:styles {NS}>"
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
    f'{sz(10.5)}<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    + style("Title", "Title", '<w:spacing w:before="2400" w:after="240"/>', f'<w:b/><w:color w:val="1F3864"/>{sz(26)}', next_="Subtitle")
    + style("Subtitle", "Subtitle", '<w:spacing w:after="720"/>', f'<w:color w:val="404040"/>{sz(15)}')
    + style("CoverText", "Cover Text", '<w:spacing w:after="80"/>', sz(11))
    + style("Heading1", "heading 1",
            '<w:keepNext/><w:keepLines/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
            '<w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/>',
            f'<w:b/><w:color w:val="1F3864"/>{sz(14)}', next_="BodyText")
    + style("Heading2", "heading 2",
            '<w:keepNext/><w:keepLines/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'
            '<w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/>',
            f'<w:b/><w:color w:val="1F3864"/>{sz(11.5)}', next_="BodyText")
    + style("Heading3", "heading 3",
            '<w:keepNext/><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>'
            '<w:spacing w:before="160" w:after="60"/><w:outlineLvl w:val="2"/>', f"<w:b/>{sz(10.5)}", next_="BodyText")
    + style("BodyText", "Body Text", '<w:jc w:val="both"/>')
    + style("ListBullet", "List Bullet", '<w:spacing w:after="60"/>', based="BodyText")
    + style("ListNumber", "List Number", '<w:spacing w:after="60"/>', based="BodyText")
    + style("Verification", "Verification",
            '<w:pBdr><w:left w:val="single" w:sz="12" w:space="6" w:color="8EAADB"/></w:pBdr><w:ind w:left="170"/>',
            sz(10), based="BodyText")
    + style("Guidance", "Guidance Note",
            '<w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="BF9000"/><w:left w:val="single" w:sz="4" w:space="4" w:color="BF9000"/>'
            '<w:bottom w:val="single" w:sz="4" w:space="4" w:color="BF9000"/><w:right w:val="single" w:sz="4" w:space="4" w:color="BF9000"/>'
            '</w:pBdr>'
            '<w:shd w:val="clear" w:color="auto" w:fill="FFF2CC"/><w:spacing w:after="60"/><w:ind w:left="113" w:right="113"/>',
            f'<w:color w:val="3A3A3A"/>{sz(9.5)}')
    + style("TableText", "Table Text", '<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>', sz(9))
    + style("TableHeading", "Table Heading", '<w:keepNext/><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>', f"<w:b/>{sz(9)}")
    + style("TOCHeading", "TOC Heading", '<w:keepNext/><w:spacing w:before="240" w:after="240"/>', f'<w:b/><w:color w:val="1F3864"/>{sz(14)}')
    + style("TOC1", "toc 1", f'<w:tabs><w:tab w:val="left" w:pos="567"/><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:before="60" w:after="40"/>', "<w:b/>", next_="Normal")
    + style("TOC2", "toc 2", f'<w:tabs><w:tab w:val="left" w:pos="1276"/><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:after="20"/><w:ind w:left="567"/>', "", next_="Normal")
    + style("Header", "header", f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:after="0"/>', f'<w:color w:val="595959"/>{sz(8)}')
    + style("Footer", "footer", f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:after="0"/>', f'<w:color w:val="595959"/>{sz(8)}')
    + style("PlaceholderText", "Placeholder Text", rpr='<w:color w:val="808080"/>', based="DefaultParagraphFont", kind="character")
    + style("Flag", "Unverified Flag", rpr='<w:i/><w:color w:val="C00000"/>', based="DefaultParagraphFont", kind="character")
    + '<w:style w:type="table" w:styleId="TenderTable"><w:name w:val="Tender Table"/><w:basedOn w:val="TableNormal"/><w:qFormat/>'
    f'<w:tblPr><w:tblBorders><w:top {BORDER}/><w:left {BORDER}/><w:bottom {BORDER}/><w:right {BORDER}/>'
    f'<w:insideH {BORDER}/><w:insideV {BORDER}/></w:tblBorders>'
    '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/></w:tcPr></w:tblStylePr>'
    "</w:style></w:styles>"
)


def lvl(i: int, fmt: str, text: str, left: int, hanging: int, pstyle: str = "", font: str = "") -> str:
    ps = f'<w:pStyle w:val="{pstyle}"/>' if pstyle else ""
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>' if font else ""
    return (
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{ps}<w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>{rpr}</w:lvl>'
    )


NUMBERING = (
    HEAD + f"<w:numbering {NS}>"
    '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="multilevel"/><w:name w:val="Clause numbering"/>'
    + lvl(0, "decimal", "%1.", 567, 567, "Heading1")
    + lvl(1, "decimal", "%1.%2", 709, 709, "Heading2")
    + lvl(2, "decimal", "%1.%2.%3", 851, 851, "Heading3")
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="hybridMultilevel"/><w:name w:val="Bullets"/>'
    + lvl(0, "bullet", "\u2022", 425, 283, font="Arial")
    + lvl(1, "bullet", "\u2013", 850, 283, font="Arial")
    + lvl(2, "bullet", "\u25aa", 1275, 283, font="Arial")
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="3"><w:multiLevelType w:val="hybridMultilevel"/><w:name w:val="Numbered list"/>'
    + lvl(0, "decimal", "%1.", 425, 425)
    + lvl(1, "lowerLetter", "%2)", 850, 425)
    + lvl(2, "lowerRoman", "%3.", 1275, 425)
    + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>'
    "</w:numbering>"
)


def p(text: str, style: str = "", runs: str = "") -> str:
    ps = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    body = runs or (f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else "")
    return f"<w:p>{ps}{body}</w:p>"


def field(instr: str, shown: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


HEADER = HEAD + f"<w:hdr {NS}>" + p(
    "", "Header",
    '<w:r><w:t xml:space="preserve">{{ doc.id }}</w:t></w:r><w:r><w:tab/></w:r>'
    '<w:r><w:t xml:space="preserve">{{ label.version }}</w:t></w:r>',
) + "</w:hdr>"
FOOTER = HEAD + f"<w:ftr {NS}>" + p(
    "", "Footer",
    '<w:r><w:t xml:space="preserve">{{ authority.name }} · {{ doc.title }}</w:t></w:r><w:r><w:tab/></w:r>'
    '<w:r><w:t xml:space="preserve">{{ label.page }} </w:t></w:r>' + field("PAGE", "1")
    + '<w:r><w:t xml:space="preserve"> {{ label.of }} </w:t></w:r>' + field("NUMPAGES", "1"),
) + "</w:ftr>"

PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def document(kind: str) -> str:
    # cover lines in the document's language (clauses/strings.yaml cover.*); the tender reference and deadline
    # are fill-ins (clauses/library.yaml fill_ins), Word fields bound to one custom XML part when unset
    reference = {
        "tender": ["{{ label.reference }}", "{{ label.deadline }}"],
        "annex": ["{{ label.reference }}"],
        "questionnaire": ["{{ label.reference }}", "{{ label.deadline }}"],
        "policy": ["{{ label.reference }}"],
        "checklist": ["{{ label.reference }}"],
        "evaluation": ["{{ label.reference }}"],
    }[kind]
    body = (
        p("{{ doc.title }}", "Title")
        + p("{{ doc.subtitle }}", "Subtitle")
        + p("", "CoverText", '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{{ authority.name }}</w:t></w:r>')
        + "".join(p(line, "CoverText") for line in reference)
        + p("{{ label.category }}", "CoverText")
        + p("{{ label.level }}", "CoverText")
        + p("{{ label.profile }}", "CoverText")
        + p("{{ label.pack }}", "CoverText")
        + p("{{ label.document }}", "CoverText")
        + PAGE_BREAK
        + p("{{p toc }}")
        + PAGE_BREAK
        + p("{{p body }}")
        + '<w:sectPr><w:headerReference w:type="default" r:id="rId5"/><w:footerReference w:type="default" r:id="rId6"/>'
        '<w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1247" w:right="1134" w:bottom="1247" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>'
        '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )
    return HEAD + f"<w:document {NS}><w:body>{body}</w:body></w:document>"


def theme() -> str:
    """The standard Office theme, taken from python-docx's default template (Word requires a theme part)."""
    import zipfile

    import docx

    default = Path(docx.__file__).parent / "templates" / "default.docx"
    with zipfile.ZipFile(default) as z:
        return z.read("word/theme/theme1.xml").decode("utf-8")


def build(kind: str) -> bytes:
    import io
    import zipfile

    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "docProps/core.xml": core(kind),
        "docProps/app.xml": APP,
        "word/document.xml": document(kind),
        "word/_rels/document.xml.rels": DOC_RELS,
        "word/styles.xml": STYLES,
        "word/settings.xml": SETTINGS,
        "word/numbering.xml": NUMBERING,
        "word/fontTable.xml": FONTS,
        "word/header1.xml": HEADER,
        "word/footer1.xml": FOOTER,
        "word/theme/theme1.xml": theme(),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, xml in parts.items():
            z.writestr(name, xml.encode("utf-8"))
    return normalize_docx(buf.getvalue())


def main(argv: list[str]) -> int:
    kinds = argv or [*KINDS, *EXTRA]
    out = Path(__file__).resolve().parent.parent / "templates"
    out.mkdir(exist_ok=True)
    for kind in kinds:
        (out / f"{kind}.docx").write_bytes(build(kind))
        print(f"wrote templates/{kind}.docx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
