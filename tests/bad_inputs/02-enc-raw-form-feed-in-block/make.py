def make(p):
    p.write("clauses/core/x.bad.yaml", """id: x.bad
title: A test clause
version: 1
status: draft
type: technical-specification
stage: solicitation
level: core
categories: [all]
text: |
  First paragraph.

  Second \f paragraph, which docxtpl would turn into a page break.
verification: A declaration.
guidance: None.
""")
