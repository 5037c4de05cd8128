def make(p):
    p.template("questionnaire", "word/footer1.xml", "{{ authority.name }}", "{{ ''.__class__.__mro__ }}")
