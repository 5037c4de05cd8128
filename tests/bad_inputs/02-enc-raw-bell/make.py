def make(p):
    p.write("profiles/bad.yaml", "id: bad\nname: Bad profile\nextends: itu\njurisdiction: Ring \a here\n")
