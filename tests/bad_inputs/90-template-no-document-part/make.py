import zipfile

def make(p):
    with zipfile.ZipFile(p.root / "templates" / "tender.docx", "w") as z:
        z.writestr("readme.txt", "no word/document.xml here")
