def make(p):
    # made here, not kept in git: Windows cannot check out a file named nul.yaml
    p.write("profiles/nul.yaml", "id: nul\nname: Bad profile\nextends: itu\n")
