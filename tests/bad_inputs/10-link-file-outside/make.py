def make(p):
    p.symlink("profiles/evil.yaml", "/etc/passwd")
