def make(p):
    p.write("profiles/bad.yaml", "id: bad\nname: Bad profile\nextends: itu\n".encode("utf-16-le"))
