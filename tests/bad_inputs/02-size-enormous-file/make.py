def make(p):
    notes = "".join(f"  - note {i} " + "x" * 100 + "\n" for i in range(11_000))
    p.write("profiles/bad.yaml", "id: bad\nname: Bad profile\nextends: itu\nnotes:\n" + notes)
