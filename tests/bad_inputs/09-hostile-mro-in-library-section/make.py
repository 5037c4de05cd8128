def make(p):
    p.replace("clauses/library.yaml", "{{ authority.name }} (the **Contracting Authority**) invites", "{{ authority.__class__ }} invites")
