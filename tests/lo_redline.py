"""Open documents in LibreOffice and report their tracked changes and text (accepted / rejected).

Run with the system Python that has ``uno`` (``/usr/bin/python3``), never imported by the tests'
Python: :func:`run` starts it in a subprocess. Input: a JSON list of jobs on stdin, each
``{"path": ..., "redlines": true|false, "resolve": true|false}``; output: a JSON list on stdout with,
per job, ``text`` (the document's text: paragraphs and table cells, one per line), for redline jobs
``redlines`` (type, author, date of each tracked change) and, unless ``resolve`` is false, ``accepted``
and ``rejected`` (the text after accepting or rejecting every change). One LibreOffice process serves all jobs and is always terminated.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SYSTEM_PYTHON = "/usr/bin/python3"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    """LibreOffice and a Python with uno are both installed."""
    if soffice() is None or not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


def run(jobs: list[dict[str, Any]], timeout: float = 300) -> list[dict[str, Any]]:
    """Run the jobs in LibreOffice (from the tests' Python)."""
    proc = subprocess.run(
        [SYSTEM_PYTHON, __file__], input=json.dumps(jobs), capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"LibreOffice helper failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return list(json.loads(proc.stdout))


# ------------------------------------------------------------------------------------------ inside LibreOffice


def _text(doc: Any) -> str:
    lines: list[str] = []
    enum = doc.getText().createEnumeration()
    while enum.hasMoreElements():
        el = enum.nextElement()
        if el.supportsService("com.sun.star.text.TextTable"):
            for name in el.getCellNames():
                lines.append(f"[{name}] " + el.getCellByName(name).getString())
        else:
            lines.append(el.getString())
    return "\n".join(lines)


def _load(desktop: Any, path: str) -> Any:
    import uno
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    return desktop.loadComponentFromURL(url, "_blank", 0, (hidden,))


def _dispatch(ctx: Any, doc: Any, command: str) -> None:
    smgr = ctx.ServiceManager
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    frame = doc.getCurrentController().getFrame()
    dispatcher.executeDispatch(frame, command, "", 0, ())


def _redlines(doc: Any) -> list[dict[str, str]]:
    out = []
    enum = doc.getRedlines().createEnumeration()
    while enum.hasMoreElements():
        r = enum.nextElement()
        when = r.getPropertyValue("RedlineDateTime")
        out.append(
            {
                "type": str(r.getPropertyValue("RedlineType")),
                "author": str(r.getPropertyValue("RedlineAuthor")),
                "date": f"{when.Year:04d}-{when.Month:02d}-{when.Day:02d}",
            }
        )
    return out


def _main() -> int:
    import uno

    jobs = json.loads(sys.stdin.read())
    profile = tempfile.mkdtemp(prefix="tp_lo_profile_")
    pipe = f"tp_{os.getpid()}"
    office = subprocess.Popen(
        [soffice() or "soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         f"--accept=pipe,name={pipe};urp;", f"-env:UserInstallation=file://{profile}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(300):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if office.poll() is not None:
                    raise RuntimeError("LibreOffice exited at start-up") from None
                time.sleep(0.1)
        if ctx is None:
            raise RuntimeError("could not connect to LibreOffice")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        results = []
        for job in jobs:
            doc = _load(desktop, job["path"])
            if doc is None:
                results.append({"path": job["path"], "error": "LibreOffice could not open the file"})
                continue
            item: dict[str, Any] = {"path": job["path"], "text": _text(doc)}
            if job.get("redlines"):
                item["redlines"] = _redlines(doc)
            if job.get("redlines") and job.get("resolve", True):
                _dispatch(ctx, doc, ".uno:AcceptAllTrackedChanges")
                item["accepted"] = _text(doc)
                item["left_after_accept"] = len(_redlines(doc))
                doc.close(True)
                doc = _load(desktop, job["path"])
                _dispatch(ctx, doc, ".uno:RejectAllTrackedChanges")
                item["rejected"] = _text(doc)
                item["left_after_reject"] = len(_redlines(doc))
            doc.close(True)
            results.append(item)
        json.dump(results, sys.stdout)
        return 0
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):
                desktop.terminate()
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(_main())
