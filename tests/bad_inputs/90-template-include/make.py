def make(p):
    p.template("tender", "word/document.xml", "{{ label.profile }}", "{% include '/etc/passwd' %}")
