def make(p):
    p.template("annex", "word/document.xml", "{{ label.profile }}", "{{ profile.name | shout }}")
