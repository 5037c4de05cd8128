def make(p):
    p.symlink("profiles/gone.yaml", "nowhere.yaml")
