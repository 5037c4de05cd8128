"""The fixed words of the documents (clauses/strings.yaml): labels, column headings, cover lines, in one
translatable place. Importable from :mod:`tenderpack.model` like every schema."""

from __future__ import annotations

from pydantic import Field, field_validator

from .model_base import TRANSLATIONS_DOC, VERSION_DOC, Model, Text, Translations, _check_text_map


class String(Model):
    """A fixed piece of document text: a label, a column heading, a cover line (not a clause)."""

    text: Text = Field(description="The text per language; may use {{ name }} for the values its doc names.")
    doc: str = Field(description="Where the text appears and which values it may use.")
    version: int = Field(1, ge=1, description=VERSION_DOC)
    translations: Translations = Field(default_factory=dict, description=TRANSLATIONS_DOC)

    _t = field_validator("text")(_check_text_map)


class StringsFile(Model):
    """clauses/strings.yaml: the fixed words of every document, in one translatable place."""

    strings: dict[str, String] = Field(description="Strings keyed by a stable name (e.g. 'table.kpi.formula').")
