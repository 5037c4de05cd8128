"""tenderpack: circular and sustainable ICT procurement clauses → Word tender documents."""

__version__ = "0.1.0"
