import os

def make(p):
    os.mkfifo(p.root / "profiles" / "bad.yaml")  # reading it would block for ever
