def make(p):
    p.symlink("clauses/evil", "/etc")
