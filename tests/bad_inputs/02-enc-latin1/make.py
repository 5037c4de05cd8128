def make(p):
    p.write("profiles/bad.yaml", "id: bad\nname: Bad profile\nextends: itu\njurisdiction: Côte d'Ivoire\n".encode("latin-1"))
