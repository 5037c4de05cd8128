"""`python build.py` builds the whole default pack; `python build.py --out DIR ...` passes build options;
`python build.py CMD ...` is `tenderpack CMD ...`."""
import sys

from tenderpack.cli import main

args = sys.argv[1:]
if not args or (args[0].startswith("-") and args[0] not in ("-h", "--help", "--version")):
    args = ["build", *args]
main(args, prog_name="tenderpack")
