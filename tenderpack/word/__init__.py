"""Everything that knows OOXML: rendering templates, numbering, fields, content controls, zips."""
