def make(p):
    p.replace("clauses/library.yaml", 'date: "2026-11-23"', "date: 23.11.2026")
