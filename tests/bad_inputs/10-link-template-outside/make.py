def make(p):
    p.symlink("templates/annex.docx", "/etc/passwd")
