"""Regenerate docs/previews/: PNG pictures of the first pages of each document kind.

    python tools/previews.py [--profile eu] [--category computers] [--level core]

Builds the documents into a temporary folder, converts them to PDF through LibreOffice (TOC and page
numbers updated), and turns the first two pages of each into PNG with pdftoppm.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tenderpack.commands import build  # noqa: E402
from tenderpack.word.pdf import convert  # noqa: E402

KINDS = ("tender", "annex", "questionnaire", "policy", "checklist")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="eu")
    parser.add_argument("--category", default="computers")
    parser.add_argument("--level", default="core", choices=("core", "comprehensive"))
    args = parser.parse_args(argv)
    out_dir = ROOT / "docs" / "previews"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        build(ROOT, out, (args.profile,), (args.category,), KINDS, ("issue", "drafting"), jobs=1, levels=(args.level,))
        pairs = []
        for kind in KINDS:
            for edition in ("issue", "drafting") if kind == "tender" else ("issue",):
                name = f"{args.profile}-{args.category}-{args.level}-{kind}-{edition}"
                pairs.append((out / args.profile / args.category / f"{name}.docx", Path(tmp) / f"{name}.pdf"))
        convert(pairs)
        for _, pdf in pairs:
            kind_edition = pdf.stem.split(f"{args.category}-{args.level}-", 1)[1]
            pages = (1, 2) if not kind_edition.startswith("tender-drafting") else (3, 4)
            for page in pages:
                prefix = out_dir / f"{kind_edition}-page{page}"
                subprocess.run(["pdftoppm", "-r", "45", "-f", str(page), "-l", str(page), "-singlefile", "-png",
                                str(pdf), str(prefix)], check=True)  # fmt: skip
                print(f"wrote docs/previews/{prefix.name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
