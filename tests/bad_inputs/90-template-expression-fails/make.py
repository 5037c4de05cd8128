def make(p):
    # the lint cannot see this: the names are right, the values do not fit (it fails while rendering, in a worker)
    p.template("tender", "word/document.xml", "{{ label.profile }}", "{{ profile.name + 1 }}")
