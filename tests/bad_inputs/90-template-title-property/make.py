def make(p):
    # docxtpl's default environment would run this (the title became PWNED); tenderpack never templates properties
    p.template("tender", "docProps/core.xml", "tenderpack template: tender", "{{ cycler.__init__.__globals__.os.popen('echo PWNED').read() }}")
