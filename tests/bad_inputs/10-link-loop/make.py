def make(p):
    p.symlink("profiles/loop.yaml", "loop.yaml")
