def make(p):
    # 200 KB of brackets: libyaml's composer recurses once per level and crashes the process near 100,000
    p.write("profiles/bad.yaml", "id: bad\nname: Bad profile\nextends: itu\nnotes: " + "[" * 100_000 + "]" * 100_000 + "\n")
