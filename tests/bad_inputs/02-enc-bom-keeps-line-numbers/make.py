def make(p):
    # a UTF-8 byte-order mark is accepted and dropped: the duplicate key is still reported on line 4
    p.write("profiles/bad.yaml", "\ufeffid: bad\nname: Bad profile\nextends: itu\nname: Again\n")
