"""Convert .docx files to PDF through LibreOffice over UNO, updating the TOC and fields first.

Run by the system Python that has the ``uno`` module (Debian's python3-uno), never imported by
tenderpack itself:  python3 lo_convert.py PROFILE_DIR PIPE_NAME IN.docx OUT.pdf [IN OUT ...]
"""

import contextlib
import os
import subprocess
import sys
import time


def main(argv):
    import uno
    from com.sun.star.beans import PropertyValue

    profile, pipe, pairs = argv[0], argv[1], argv[2:]

    def pv(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        ctx = uno.getComponentContext()
        resolver = ctx.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", ctx)
        remote = None
        for _ in range(120):
            try:
                remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.25)
        if remote is None:
            print("LibreOffice did not start", file=sys.stderr)
            return 3
        desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
        for src, dst in zip(pairs[::2], pairs[1::2], strict=True):
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                               (pv("Hidden", True),))
            try:
                indexes = doc.getDocumentIndexes()
                for i in range(indexes.getCount()):
                    indexes.getByIndex(i).update()
                doc.getTextFields().refresh()
                doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), (pv("FilterName", "writer_pdf_Export"),))
            finally:
                doc.close(True)
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
