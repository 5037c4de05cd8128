def make(p):
    p.template("tender", "word/document.xml", "{{ profile.name }}", "{% for x in profile %}{{ profile.name }}")
