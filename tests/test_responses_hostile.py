"""Hostile files given to `tenderpack responses`: each is refused with one `Error: <file>: <reason>` line
and exit 1, within seconds, in bounded memory, without writing anything.

Each case runs the CLI in a fresh process (so that time and peak memory are its own); limits that
would need big files are lowered through the module attributes of ``tenderpack.word.controls``.
"""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
QUESTIONNAIRE = "output/itu/computers/itu-computers-core-questionnaire-issue.docx"
MAX_SECONDS = 5.0
MAX_RSS_MB = 256

# Time is measured from the call of the CLI (interpreter start-up and imports excluded: they are the
# same for every command and vary with the machine's load); memory is the whole process's peak.
RUNNER = """
import resource, sys, time
import tenderpack.word.controls as controls
for name, value in {limits!r}.items():
    setattr(controls, name, value)
from tenderpack.cli import main
start = time.perf_counter()
try:
    main(sys.argv[1:], prog_name="tenderpack")
finally:
    with open({stats!r}, "w") as fh:
        seconds = time.perf_counter() - start
        try:  # this process's own peak (ru_maxrss would include the parent's RSS at fork time)
            status = open("/proc/self/status").read()
            peak_kb = int(status.split("VmHWM:")[1].split()[0])
        except (OSError, IndexError):
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        fh.write(f"{{peak_kb}} {{seconds}}")
"""

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.fixture(scope="session")
def good(built_seed: Path) -> bytes:
    return (built_seed / QUESTIONNAIRE).read_bytes()


def rebuild(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
            drop: tuple[str, ...] = ()) -> bytes:  # fmt: skip
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            if name not in drop:
                zout.writestr(name, replace.get(name, zin.read(name)))
        for name, blob in (add or {}).items():
            zout.writestr(name, blob)
    return out.getvalue()


def content_types(data: bytes, change: Callable[[str], str]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        ct = z.read("[Content_Types].xml").decode("utf-8")
    return rebuild(data, {"[Content_Types].xml": change(ct).encode("utf-8")})


def document_xml(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml")
    return rebuild(data, {"word/document.xml": change(xml)})


def with_doctype(doctype: bytes, entity: bytes) -> Callable[[bytes], bytes]:
    """A DTD before the root element and a reference to its entity in the first answer."""

    def change(xml: bytes) -> bytes:
        head, _, rest = xml.partition(b"?>")
        rest = rest.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&" + entity + b";</w:t></w:r></w:p>", 1)
        return head + b"?>" + doctype + rest

    return change


def raw_zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in entries.items():
            z.writestr(zipfile.ZipInfo(name), blob, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def lying_sizes(data: bytes) -> bytes:
    """A member whose headers declare 1,000 bytes while it inflates to 30 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            blob = zin.read(name)
            if name == "word/document.xml":
                blob = blob + b" " * (30 * 1024 * 1024)
            zout.writestr(name, blob)
    raw = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as z:
        info = z.getinfo("word/document.xml")
    real = info.file_size.to_bytes(4, "little")
    fake = (1000).to_bytes(4, "little")
    local = info.header_offset
    assert raw[local + 22 : local + 26] == real
    raw[local + 22 : local + 26] = fake  # local header: uncompressed size
    pos = 0
    while True:  # find the central directory record of word/document.xml
        pos = raw.find(b"PK\x01\x02", pos)
        assert pos >= 0
        name_len = int.from_bytes(raw[pos + 28 : pos + 30], "little")
        if raw[pos + 46 : pos + 46 + name_len] == b"word/document.xml":
            break
        pos += 4
    raw[pos + 24 : pos + 28] = fake  # central directory: uncompressed size
    return bytes(raw)


def bomb(data: bytes) -> bytes:
    """15 MB of blanks inside document.xml: about 15 KB on disk, a ratio near 1000."""
    return document_xml(data, lambda xml: xml.replace(b"<w:body>", b"<w:body>" + b" " * (15 * 1024 * 1024), 1))


def many_members(data: bytes) -> bytes:
    return rebuild(data, add={f"word/media/image{i}.bin": os.urandom(300_000) for i in range(8)})


def node_flood(count: int) -> Callable[[bytes], bytes]:
    """Paragraphs of random text before the section properties: ``count`` nodes more (7 per paragraph),
    and random enough to pass the ratio limit."""

    def change(xml: bytes) -> bytes:
        words = base64.b32encode(os.urandom(count)).decode()
        paras = "".join(f"<w:p><w:r><w:t>{words[i : i + 6]}</w:t></w:r></w:p>" for i in range(0, count // 7 * 6, 6))
        return xml.replace(b"<w:sectPr", paras.encode() + b"<w:sectPr", 1)

    return change


BILLION_LAUGHS = (
    b'<!DOCTYPE w:document [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
    + b"]>"
)
XXE = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

CASES: dict[str, tuple[Callable[[bytes], bytes], dict[str, Any], str]] = {
    "not-a-zip": (lambda d: b"Dear buyer,\nplease find our answers below.\n", {}, "not a Word .docx file (not a zip archive)"),
    "empty": (lambda d: b"", {}, "the file is empty"),
    "encrypted-or-doc": (lambda d: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, {},
                         "not a Word .docx file: it is a password-protected document or an old .doc file"),
    "truncated-zip": (lambda d: d[: len(d) // 2], {}, "not a valid .docx: the zip archive is damaged"),
    "zip-bomb-ratio": (bomb, {}, "times (limit 100): a zip bomb?"),
    "zip-bomb-total": (many_members, {"MAX_TOTAL_SIZE": 2 * 1024 * 1024},
                       "the archive expands to more than the 2.0 MB accepted: a zip bomb?"),
    "zip-bomb-part": (bomb, {"MAX_PART_SIZE": 1024 * 1024}, "entry 'word/document.xml' expands to 15.0 MB, more than the 1.0 MB accepted"),
    "lying-sizes": (lying_sizes, {}, "not a valid .docx: entry 'word/document.xml' is damaged"),
    "too-many-entries": (many_members, {"MAX_ENTRIES": 10}, "entries, more than the 10 accepted"),
    "absurd-file-size": (many_members, {"MAX_FILE_SIZE": 1024 * 1024}, "more than the 1.0 MB accepted"),
    "xxe": (lambda d: document_xml(d, with_doctype(XXE, b"xxe")), {},
            "word/document.xml declares a DTD or entities (<!DOCTYPE>), which are not accepted"),
    "billion-laughs": (lambda d: document_xml(d, with_doctype(BILLION_LAUGHS, b"lol9")), {},
                       "word/document.xml declares a DTD or entities (<!DOCTYPE>), which are not accepted"),
    "dtd-in-content-types": (lambda d: content_types(d, lambda ct: ct.replace("?>", '?><!DOCTYPE Types SYSTEM "http://evil.test/x.dtd">', 1)), {},
                             "[Content_Types].xml declares a DTD or entities"),
    "dtd-in-custom-xml": (lambda d: rebuild(d, {"customXml/item1.xml": b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY e SYSTEM "file:///etc/hostname">]><tenderpack xmlns="urn:tenderpack:document:1">&e;</tenderpack>'}), {},
                          "customXml/item1.xml declares a DTD or entities"),
    "utf16-doctype": (lambda d: document_xml(d, lambda xml: with_doctype(XXE, b"xxe")(xml).replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode("utf-8").encode("utf-16")), {},
                      "word/document.xml declares a DTD or entities"),
    "deep-nesting": (lambda d: document_xml(d, lambda xml: xml.replace(b"<w:body>", b"<w:body>" + b"<w:p>" * 5000 + b"</w:p>" * 5000, 1)), {},
                     "word/document.xml is not well-formed XML"),
    "node-flood": (lambda d: document_xml(d, node_flood(600_000)), {}, "word/document.xml has more than 500000 XML elements and attributes"),
    "malformed-xml": (lambda d: document_xml(d, lambda xml: xml[:-40]), {}, "word/document.xml is not well-formed XML"),
    "vba-project": (lambda d: rebuild(d, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}), {},
                    "it contains macros or ActiveX controls (word/vbaProject.bin); save it as a plain .docx"),
    "docm-content-type": (lambda d: content_types(d, lambda ct: ct.replace(DOCX_MAIN, "application/vnd.ms-word.document.macroEnabled.main+xml")), {},
                          "it is a macro-enabled Word document (.docm); save it as .docx"),
    "activex": (lambda d: rebuild(d, add={"word/activeX/activeX1.xml": b"<ax/>"}), {}, "it contains macros or ActiveX controls (word/activeX/activeX1.xml)"),
    "path-traversal": (lambda d: rebuild(d, add={"../evil": b"x"}), {}, "unsafe entry name '../evil' in the archive"),
    "path-traversal-nested": (lambda d: rebuild(d, add={"word/../../evil.sh": b"x"}), {}, "unsafe entry name 'word/../../evil.sh'"),
    "absolute-entry": (lambda d: raw_zip({"/etc/cron.d/evil": b"x"}), {}, "unsafe entry name '/etc/cron.d/evil'"),
    "windows-entry": (lambda d: raw_zip({"C:\\evil.bat": b"x"}), {}, "unsafe entry name"),
    "duplicate-entries": (lambda d: rebuild(d, add={"WORD/document.xml": b"<x/>"}), {}, "the archive has two entries named 'WORD/document.xml'"),
    "no-content-types": (lambda d: rebuild(d, drop=("[Content_Types].xml",)), {}, "not a valid .docx: [Content_Types].xml is missing"),
    "spreadsheet": (lambda d: content_types(d, lambda ct: ct.replace(DOCX_MAIN, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")), {},
                    "it is a spreadsheet, not a Word document"),
    "no-main-part": (lambda d: content_types(d, lambda ct: ct.replace(DOCX_MAIN, "application/xml")), {},
                     "not a Word document: [Content_Types].xml declares no main document part"),
    "main-part-missing": (lambda d: rebuild(d, drop=("word/document.xml",)), {}, "the main document part '/word/document.xml' is missing"),
    "zip-of-text": (lambda d: raw_zip({"answers.txt": b"yes"}), {}, "not a valid .docx: [Content_Types].xml is missing"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused(case: str, good: bytes, built_seed: Path, tmp_path: Path, cli: Callable[..., Any],
                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    make, limits, reason = CASES[case]
    work = tmp_path / "work"
    work.mkdir()
    bad = work / f"{case}.docx"
    bad.write_bytes(make(good))
    stats = tmp_path / "stats"
    before = sorted(p.name for p in work.iterdir())

    proc = subprocess.run(
        [sys.executable, "-c", RUNNER.format(limits=limits, stats=str(stats)),
         "responses", "read", "--project", str(built_seed), bad.name, "--out", "out/answers.json"],
        cwd=work, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    rss_kb, seconds = stats.read_text().split()
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"Error: {bad.name}: "), proc.stderr
    assert reason in proc.stderr, proc.stderr
    assert float(seconds) < MAX_SECONDS, f"{case}: {float(seconds):.1f} s"
    assert int(rss_kb) / 1024 < MAX_RSS_MB, f"{case}: {int(rss_kb) / 1024:.0f} MB"
    assert sorted(p.name for p in work.iterdir()) == before, "something was written"

    # score refuses it the same way (in-process: same code path, no second start-up)
    import tenderpack.word.controls as controls

    for name, value in limits.items():
        monkeypatch.setattr(controls, name, value)
    out = tmp_path / "evaluation"
    result = cli("responses", "score", "--project", built_seed, bad, "--profile", "itu", "--category", "computers", "--out", out)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"Error: {bad}: ") and reason in result.stderr
    assert not out.exists()


def test_hostile_file_stops_before_the_others_are_read(good: bytes, built_seed: Path, tmp_path: Path,
                                                       cli: Callable[..., Any]) -> None:  # fmt: skip
    ok = tmp_path / "ok.docx"
    ok.write_bytes(good)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(rebuild(good, add={"../evil": b"x"}))
    result = cli("responses", "read", "--project", built_seed, ok, bad, expect=1)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {bad}: unsafe entry name '../evil' in the archive\n"


def test_missing_file(built_seed: Path, tmp_path: Path, cli: Callable[..., Any]) -> None:
    result = cli("responses", "read", "--project", built_seed, tmp_path / "nope.docx", expect=1)
    assert result.stderr == f"Error: {tmp_path / 'nope.docx'}: file not found\n"


def test_largest_accepted_document_stays_bounded(good: bytes, built_seed: Path, tmp_path: Path) -> None:
    """Just under the node budget the file is read normally, still within the time and memory bounds."""
    big = tmp_path / "big.docx"
    big.write_bytes(document_xml(good, node_flood(480_000)))
    stats = tmp_path / "stats"
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER.format(limits={}, stats=str(stats)), "responses", "read", "--project", str(built_seed), str(big)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    rss_kb, seconds = stats.read_text().split()
    assert proc.returncode == 0, proc.stderr
    assert '"battery-cycles"' in proc.stdout
    assert int(rss_kb) / 1024 < MAX_RSS_MB, f"{int(rss_kb) / 1024:.0f} MB"
    assert float(seconds) < MAX_SECONDS + 10, f"{float(seconds):.1f} s"  # includes checking and composing the project
