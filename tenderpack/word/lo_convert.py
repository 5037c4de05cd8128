"""Convert .docx files to PDF through LibreOffice over UNO, updating the TOC and fields first.

Run by the system Python that has the ``uno`` module (Debian's python3-uno), never imported by
tenderpack itself:  python3 lo_convert.py PROFILE_DIR PIPE_NAME

It starts one LibreOffice (with its own user profile folder, so that several can run side by side), then
reads one JSON pair ``["IN.docx", "OUT.pdf"]`` per line on standard input, converts it and answers one
JSON line on standard output: ``{"ok": "OUT.pdf"}`` or ``{"error": "message"}``. End of input stops it.
"""

import contextlib
import json
import os
import subprocess
import sys
import time


def main(argv):
    import uno
    from com.sun.star.beans import PropertyValue

    profile, pipe = argv[0], argv[1]

    def pv(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )
    try:
        ctx = uno.getComponentContext()
        resolver = ctx.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", ctx)
        remote = None
        for _ in range(240):
            try:
                remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if office.poll() is not None:
                    break
                time.sleep(0.25)
        if remote is None:
            print("LibreOffice did not start", file=sys.stderr)
            return 3
        desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
        for line in sys.stdin:
            if not line.strip():
                continue
            src, dst = json.loads(line)
            try:
                doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                                   (pv("Hidden", True),))
                if doc is None:
                    raise RuntimeError("LibreOffice could not open it")
                try:
                    indexes = doc.getDocumentIndexes()
                    for i in range(indexes.getCount()):
                        indexes.getByIndex(i).update()
                    doc.getTextFields().refresh()
                    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)),
                                   (pv("FilterName", "writer_pdf_Export"),))
                finally:
                    doc.close(True)
                answer = {"ok": dst}
            except Exception as exc:  # reported to tenderpack, which names the document
                answer = {"error": str(getattr(exc, "Message", "") or exc)[:500]}
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
        with contextlib.suppress(Exception):  # the office may already be gone
            desktop.terminate()
        return 0
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
