def make(p):
    p.template("annex", "word/document.xml", "{{ profile.name }}", "{{ profile.name | shout }}")
