def make(p):
    p.replace("clauses/library.yaml", "invites {{ tenders }} for the supply of", "invites {{ bidders }} for the supply of")
