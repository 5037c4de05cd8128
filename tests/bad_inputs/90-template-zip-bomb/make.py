import zipfile

def make(p):
    path = p.root / "templates" / "tender.docx"
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            z.writestr(info, data)
        z.writestr("word/media/padding.bin", bytes(65 * 1024 * 1024), compresslevel=1)  # 65 MiB in 64 KiB
