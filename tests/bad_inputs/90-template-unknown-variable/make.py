def make(p):
    p.template("tender", "word/document.xml", "{{ profile.name }}", "{{ profile.nmae }}")
