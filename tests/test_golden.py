"""Golden tests: a normalised text dump of each document of the seed's `fr` profile.

Run `pytest tests/test_golden.py --regen-golden` to rewrite tests/golden/ after an intended change, then
review the diff like any other change.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tenderpack.word.inspect import dump_text

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = [
    f"fr/{c}/fr-{c}-{lv}-{k}-{e}"
    for c in ("computers", "mobile-devices", "end-of-life")
    for lv in ("core", "comprehensive")
    for k in ("tender", "annex", "questionnaire")
    for e in ("drafting", "issue")
]


@pytest.mark.parametrize("name", CASES)
def test_golden(built_seed: Path, name: str, request: pytest.FixtureRequest) -> None:
    actual = dump_text((built_seed / "output" / f"{name}.docx").read_bytes())
    golden = GOLDEN / f"{name}.txt"
    if request.config.getoption("--regen-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"no golden file {golden}; run pytest --regen-golden"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "actual"))
        pytest.fail(f"{name} differs from its golden text:\n{diff}")
