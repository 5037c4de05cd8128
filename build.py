"""`python build.py` builds the whole default pack; `python build.py CMD ...` is `tenderpack CMD ...`."""
import sys

from tenderpack.cli import main

main(sys.argv[1:] or ["build"], prog_name="tenderpack")
