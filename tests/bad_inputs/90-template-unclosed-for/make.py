def make(p):
    p.template("tender", "word/document.xml", "{{ label.profile }}", "{% for x in profile %}{{ profile.name }}")
