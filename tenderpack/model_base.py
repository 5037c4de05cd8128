"""The base of the typed models: the model class, texts per language, ids, and translation status.

``model`` (the library, clauses, policy and strings) and ``profile_model`` (profiles) build on it; every
name is importable from ``tenderpack.model``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Protocol, runtime_checkable

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from .ids import LANG_RE, check_id

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def _as_text_map(value: Any) -> Any:
    """A plain string is English text; a mapping gives text per language code."""
    if isinstance(value, str):
        return {"en": value}
    return value


def _as_list(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    return value


Id = Annotated[str, BeforeValidator(check_id)]
Text = Annotated[dict[str, str], BeforeValidator(_as_text_map)]
IdList = Annotated[list[Id], BeforeValidator(_as_list)]


def _as_uses(value: Any) -> Any:
    """``[a, b]`` means ``{a: a, b: b}``: the clause's text uses the shared name itself."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return {str(v): str(v) for v in value}
    return value


SharedUses = Annotated[dict[str, str], BeforeValidator(_as_uses)]


class Model(BaseModel):
    """Base: unknown keys are kept here, then reported as errors with a "did you mean" (``project.check_model``)."""

    model_config = ConfigDict(extra="allow", frozen=False, populate_by_name=True)


def _check_text_map(value: dict[str, str]) -> dict[str, str]:
    if "en" not in value:
        raise ValueError("English text ('en') is required")
    for lang in value:
        if not LANG_RE.match(lang):
            raise ValueError(f"{lang!r} is not a language code (e.g. 'en', 'fr', 'pt-BR')")
    return value


# --------------------------------------------------------------------------------------------------
# Translations: every translatable record says which version of its English each translation renders


class TranslationStatus(Model):
    """The state of one language's translation of a record (a clause, a section, a string...)."""

    version: int = Field(ge=1, description="Version of the English source that this translation renders.")
    status: Literal["draft", "reviewed"] = Field(
        description="draft: translated, not yet checked by a lawyer of that language; reviewed: checked."
    )


def _check_languages(value: dict[str, TranslationStatus]) -> dict[str, TranslationStatus]:
    for lang in value:
        if lang == "en" or not LANG_RE.match(lang):
            raise ValueError(f"{lang!r} is not the code of a translation language (e.g. 'fr', 'pt-BR')")
    return value


Translations = Annotated[dict[str, TranslationStatus], AfterValidator(_check_languages)]
TRANSLATIONS_DOC = (
    "Per language: the English version the translation renders and its status, e.g. "
    "{fr: {version: 2, status: reviewed}}; older than 'version' means stale."
)
VERSION_DOC = "Version of the English wording: bump it when the English changes (its translations become stale)."


@runtime_checkable
class Translatable(Protocol):
    """A record whose texts are translated (each field holds one text per language): its English version
    and, per language, the version each translation renders and its status."""

    version: int
    translations: dict[str, TranslationStatus]


