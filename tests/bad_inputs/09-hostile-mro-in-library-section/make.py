def make(p):
    p.replace("clauses/library.yaml", "{{ authority.name }} (the **{{ Buyer }}**) invites", "{{ authority.__class__ }} invites")
