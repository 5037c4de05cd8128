"""eForms: write the criteria of a document set into a notice's lots, or as a standalone fragment.

Fields written per lot (eForms SDK 1.15.1; docs/notices.md maps each one to the library):

- BT-06-Lot ``strategic-procurement``: ``env-imp`` is set (or removed when no clause declares an impact);
  the buyer's other codes (``soc-obj``, ``inn-pur``) are kept, ``none`` goes when ``env-imp`` comes;
  BT-777-Lot, the description eForms requires beside ``env-imp``, names the impacts in each notice language
  with the labels of the SDK's ``environmental-impact`` code list;
- BT-774-Lot ``environmental-impact`` and BT-805-Lot ``gpp-criteria``: replaced;
- BT-539/BT-734/BT-540/BT-541/BT-5421 (the lot's award criteria): every ``cac:SubordinateAwardingCriterion``
  is replaced by the profile's criteria; BT-543 (a complicated weighting described in words) and BT-733
  (order-of-importance justification) are removed with them, since eForms forbids BT-541 beside BT-543.

Nothing else in the notice changes: elements are inserted at their place in the UBL 2.3 sequence, the
indentation of the notice is followed, and comments and other content are left as they are.

Notices are untrusted input: the parser loads no DTD, expands no entity and opens no network connection,
and a notice that declares a DOCTYPE is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from .codelists import eforms_codes, eforms_fields, eforms_labels, eforms_language, sdk_version
from .criteria import AwardCriterion, Criteria, NoticeError, text_in

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
EFAC = "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1"
EFEXT = "http://data.europa.eu/p27/eforms-ubl-extensions/1"
EFBC = "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1"
NS = {"cbc": CBC, "cac": CAC, "ext": EXT, "efac": EFAC, "efext": EFEXT, "efbc": EFBC}
ROOTS = {  # the notice kinds whose lots carry these fields
    "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2": "ContractNotice",
    "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2": "PriorInformationNotice",
}
OTHER_ROOTS = {
    "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2": "ContractAwardNotice",
    "http://data.europa.eu/p27/eforms-business-registration-information-notice/1": "BusinessRegistrationInformationNotice",
}
PURPOSE = ("strategic-procurement", "environmental-impact", "gpp-criteria")
WEIGHT_CODE = "per-exa"  # the profile's weights are shares of 100 (check enforces the total)
MAX_NOTICE_BYTES = 64 * 1024 * 1024


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _order(*names: str) -> list[str]:
    return [_q(*n.split(":")) for n in names]


# Child sequences of the UBL 2.3 types we insert into (schemas/common/UBL-CommonAggregateComponents-2.3.xsd);
# only the children that matter for placing ours are needed, in XSD order.
LOT_ORDER = _order("ext:UBLExtensions", "cbc:ID", "cac:LegalDocumentReference", "cac:TechnicalDocumentReference",
                   "cac:RequiredDocumentReference", "cac:ProvidedDocumentReference",
                   "cac:AdditionalDocumentReference", "cac:TenderingTerms", "cac:TenderingProcess",
                   "cac:ProcurementProject")  # fmt: skip
PROJECT_ORDER = _order("ext:UBLExtensions", "cbc:ID", "cbc:Name", "cbc:Description", "cbc:ProcurementTypeCode",
                       "cbc:ProcurementSubTypeCode", "cbc:QualityControlCode", "cbc:RequiredFeeAmount",
                       "cbc:FeeDescription", "cbc:RequestedDeliveryDate", "cbc:EstimatedOverallContractQuantity",
                       "cbc:Note", "cbc:SMESuitableIndicator", "cac:ProcurementAdditionalType",
                       "cac:RequestedTenderTotal", "cac:MainCommodityClassification",
                       "cac:AdditionalCommodityClassification", "cac:RealizedLocation", "cac:PlannedPeriod",
                       "cac:ContractExtension", "cac:RequestForTenderLine")  # fmt: skip
TERMS_ORDER = _order("ext:UBLExtensions", "cbc:AwardingMethodTypeCode", "cbc:PriceEvaluationCode",
                     "cbc:MaximumVariantQuantity", "cbc:VariantConstraintIndicator",
                     "cbc:AcceptedVariantsDescription", "cbc:VariantConstraintCode",
                     "cbc:PriceRevisionFormulaDescription", "cbc:FundingProgramCode", "cbc:FundingProgram",
                     "cbc:MaximumAdvertisementAmount", "cbc:Note", "cbc:PaymentFrequencyCode",
                     "cbc:EconomicOperatorRegistryURI", "cbc:RequiredCurriculaIndicator",
                     "cbc:RequiredCurriculaCode", "cbc:OtherConditionsIndicator",
                     "cbc:RecurringProcurementIndicator", "cbc:RecurringProcurementDescription",
                     "cbc:EstimatedTimingFurtherPublication", "cbc:AdditionalConditions",
                     "cbc:LatestSecurityClearanceDate", "cbc:DocumentationFeeAmount", "cbc:MultipleTendersCode",
                     "cac:PenaltyClause", "cac:RequiredFinancialGuarantee",
                     "cac:ProcurementLegislationDocumentReference", "cac:FiscalLegislationDocumentReference",
                     "cac:EnvironmentalLegislationDocumentReference",
                     "cac:EmploymentLegislationDocumentReference", "cac:ContractualDocumentReference",
                     "cac:CallForTendersDocumentReference", "cac:WarrantyValidityPeriod", "cac:PaymentTerms",
                     "cac:TendererQualificationRequest", "cac:AllowedSubcontractTerms", "cac:TenderPreparation",
                     "cac:ContractExecutionRequirement", "cac:AwardingTerms", "cac:AdditionalInformationParty",
                     "cac:DocumentProviderParty", "cac:TenderRecipientParty", "cac:ContractResponsibleParty",
                     "cac:TenderEvaluationParty", "cac:QualificationRequestRecipientParty",
                     "cac:TenderValidityPeriod", "cac:ContractAcceptancePeriod", "cac:AppealTerms",
                     "cac:Language", "cac:BudgetAccountLine", "cac:ReplacedNoticeDocumentReference",
                     "cac:LotDistribution", "cac:PostAwardProcess", "cac:EconomicOperatorShortList",
                     "cac:SecurityClearanceTerm")  # fmt: skip
AWARDING_ORDER = _order("ext:UBLExtensions", "cbc:WeightingAlgorithmCode", "cbc:Description",
                        "cbc:TechnicalCommitteeDescription", "cbc:LowTendersDescription", "cbc:PrizeIndicator",
                        "cbc:PrizeDescription", "cbc:PaymentDescription", "cbc:FollowupContractIndicator",
                        "cbc:BindingOnBuyerIndicator", "cbc:NoFurtherNegotiationIndicator",
                        "cac:AwardingCriterion", "cac:TechnicalCommitteePerson", "cac:Prize")  # fmt: skip
CRITERION_ORDER = _order("ext:UBLExtensions", "cbc:ID", "cbc:AwardingCriterionTypeCode", "cbc:Name",
                         "cbc:Description", "cbc:WeightNumeric", "cbc:Weight", "cbc:CalculationExpression",
                         "cbc:CalculationExpressionCode", "cbc:MinimumQuantity", "cbc:MaximumQuantity",
                         "cbc:MinimumAmount", "cbc:MaximumAmount", "cbc:MinimumImprovementBid",
                         "cac:SubordinateAwardingCriterion")  # fmt: skip

FIELDS_WRITTEN = ("BT-06-Lot", "BT-777-Lot", "BT-774-Lot", "BT-805-Lot", "BT-539-Lot", "BT-734-Lot", "BT-540-Lot",
                  "BT-541-Lot-WeightNumber", "BT-5421-Lot")  # fmt: skip
BT_COMMENT = re.compile(r"^\s*(BT|OPT)-\d+")


# ------------------------------------------------------------------------------------------ parse


def parse_notice(data: bytes, name: str) -> etree._ElementTree:
    """A notice parsed without DTD, entities or network; NoticeError (``name:line: message``) otherwise."""
    if len(data) > MAX_NOTICE_BYTES:
        raise NoticeError(f"{name}: larger than {MAX_NOTICE_BYTES // (1024 * 1024)} MiB; not an eForms notice")
    if re.search(rb"<!DOCTYPE|<!ENTITY", data[:65536], re.IGNORECASE):
        raise NoticeError(f"{name}: declares a DOCTYPE or entities, which an eForms notice never does; refused")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=False)  # fmt: skip
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        message = str(exc.msg or exc).split(", line ")[0]
        raise NoticeError(f"{name}:{line}: not well-formed XML: {message}") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise NoticeError(f"{name}: declares a DOCTYPE, which an eForms notice never does; refused")
    return tree


def subtype_of(tree: etree._ElementTree) -> str | None:
    found = tree.getroot().find(
        "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension/efac:NoticeSubType/cbc:SubTypeCode", NS
    )
    return found.text.strip() if found is not None and found.text else None


def notice_languages(tree: etree._ElementTree) -> list[str]:
    """The notice's languages (ISO 639-3), main language first."""
    root = tree.getroot()
    langs = [root.findtext("cbc:NoticeLanguageCode", namespaces=NS) or ""]
    langs += [e.text or "" for e in root.findall("cac:AdditionalNoticeLanguage/cbc:ID", NS)]
    return [lang.strip() for lang in langs if lang.strip()]


def lots_of(tree: etree._ElementTree) -> dict[str, etree._Element]:
    out: dict[str, etree._Element] = {}
    for lot in tree.getroot().findall("cac:ProcurementProjectLot", NS):
        ident = lot.find("cbc:ID", NS)
        if ident is not None and ident.get("schemeName") == "Lot" and ident.text:
            out[ident.text.strip()] = lot
    return out


def check_notice(tree: etree._ElementTree, name: str) -> tuple[str, str]:
    """(kind, subtype) of a notice whose lots can take the fields; NoticeError otherwise."""
    root = tree.getroot()
    qname = etree.QName(root)
    if qname.namespace in OTHER_ROOTS:
        raise NoticeError(f"{name}: a {OTHER_ROOTS[qname.namespace]}, not a contract notice or prior information "
                          "notice; the green and award criteria are filled into those")  # fmt: skip
    if qname.namespace not in ROOTS or qname.localname != ROOTS[qname.namespace]:
        raise NoticeError(f"{name}: not an eForms notice (root element {qname.localname!r} in "
                          f"{qname.namespace or 'no namespace'!s})")  # fmt: skip
    subtype = subtype_of(tree)
    if subtype is None:
        raise NoticeError(f"{name}: not an eForms notice: it has no notice subtype "
                          "(efac:NoticeSubType/cbc:SubTypeCode)")  # fmt: skip
    fields = eforms_fields()["fields"]
    forbidden = [f for f in FIELDS_WRITTEN if subtype in fields[f]["forbiddenIn"]]
    if forbidden:
        raise NoticeError(f"{name}: notice subtype {subtype} ({ROOTS[qname.namespace]}) does not allow "
                          f"{', '.join(forbidden)} (eForms SDK {sdk_version()}); use a notice of a subtype "
                          "that announces a competition")  # fmt: skip
    return ROOTS[qname.namespace], subtype


# ------------------------------------------------------------------------------------------ write


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _el(tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.Element(_q(*tag.split(":")), nsmap=None)
    for k, v in attrs.items():
        el.set(k, v)
    if text is not None:
        el.text = text
    return el


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = _el(tag, text, **attrs)
    parent.append(el)
    return el


def _insert(parent: etree._Element, child: etree._Element, order: list[str]) -> etree._Element:
    """Insert ``child`` after the children that come before it (or are the same) in the XSD sequence."""
    rank = order.index(child.tag)
    index = len(parent)
    for i, existing in enumerate(parent):
        if isinstance(existing.tag, str) and existing.tag in order and order.index(existing.tag) > rank:
            index = i
            while index > 0 and not isinstance(parent[index - 1].tag, str):
                index -= 1  # keep a comment with the element it precedes
            break
    parent.insert(index, child)
    return child


def _indent_unit(tree_root: etree._Element) -> str | None:
    """One level of the notice's indentation ('\t', '  ', ...), None when it is not pretty-printed."""
    text = tree_root.text or ""
    if text.strip() or "\n" not in text:
        return None
    return text.rsplit("\n", 1)[1] or None


def _tidy(el: etree._Element, unit: str | None) -> None:
    """Indent an inserted or rewritten element like the rest of the notice."""
    if unit is None:
        return
    depth = sum(1 for _ in el.iterancestors())
    etree.indent(el, space=unit, level=depth)
    el.tail = "\n" + unit * (depth if el.getnext() is not None else depth - 1)
    prev = el.getprevious()
    if prev is not None:
        prev.tail = "\n" + unit * depth
    else:
        parent = el.getparent()
        assert parent is not None
        parent.text = "\n" + unit * depth


def _remove(el: etree._Element) -> None:
    """Remove an element (and a BT-xxx comment just before it), keeping the layout of its siblings."""
    parent = el.getparent()
    assert parent is not None
    prev = el.getprevious()
    if prev is not None and not isinstance(prev.tag, str) and BT_COMMENT.match(prev.text or ""):
        _remove_node(prev)
    _remove_node(el)


def _remove_node(node: etree._Element) -> None:
    parent = node.getparent()
    assert parent is not None
    prev = node.getprevious()
    if prev is not None:
        prev.tail = node.tail
    else:
        parent.text = node.tail
    parent.remove(node)


def _child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    found = parent.find(tag, NS)
    if found is not None:
        return found
    return _insert(parent, _el(tag), order)


def _unit_of(el: etree._Element) -> str | None:
    return _indent_unit(el.getroottree().getroot())


def _texts(texts: dict[str, str], languages: list[str]) -> list[tuple[str, str]]:
    """(languageID, text) for each notice language the library has; English (ENG) when it has none of them."""
    out = []
    by_code = {eforms_language(lang): lang for lang in sorted(texts)}
    for code in languages:
        lang = by_code.get(code)
        if lang is not None:
            out.append((code, texts[lang]))
    if not out:
        out.append(("ENG", text_in(texts, "en") or next(iter(texts.values()))))
    return out


def _additional_types(criteria: Criteria, existing: Iterable[str]) -> list[tuple[str, str]]:
    """(listName, code) of the ProcurementAdditionalType entries to write."""
    kept = [code for code in existing if code not in ("env-imp", "none")]
    strategic = [*criteria.strategic, *kept] if criteria.strategic else kept
    codes = [("strategic-procurement", c) for c in (strategic or ["none"])]
    codes += [("environmental-impact", c) for c in criteria.impacts]
    if criteria.gpp is not None:
        codes.append(("gpp-criteria", criteria.gpp))
    return codes


def _fill_project(project: etree._Element, criteria: Criteria, languages: list[str]) -> None:
    existing_strategic = []
    for add in project.findall("cac:ProcurementAdditionalType", NS):
        code = add.find("cbc:ProcurementTypeCode", NS)
        if code is not None and code.get("listName") in PURPOSE:
            if code.get("listName") == "strategic-procurement":
                existing_strategic.append((code.text or "").strip())
            _remove(add)
    unit = _unit_of(project)
    for list_name, code in _additional_types(criteria, existing_strategic):
        add = _additional_type(list_name, code, criteria, languages)
        _tidy(_insert(project, add, PROJECT_ORDER), unit)


def _additional_type(list_name: str, code: str, criteria: Criteria, languages: list[str]) -> etree._Element:
    add = _el("cac:ProcurementAdditionalType")
    _sub(add, "cbc:ProcurementTypeCode", code, listName=list_name)
    if list_name == "strategic-procurement" and code == "env-imp":
        for language, text in impact_description(criteria, languages):
            _sub(add, "cbc:ProcurementType", text, languageID=language)
    return add


def impact_description(criteria: Criteria, languages: list[str]) -> list[tuple[str, str]]:
    """BT-777: the impacts named in each notice language (SDK code-list labels; English where it has none)."""
    out: list[tuple[str, str]] = []
    for language in languages:
        labels = eforms_labels("environmental-impact", language) or eforms_labels("environmental-impact", "ENG")
        label_language = language if eforms_labels("environmental-impact", language) else "ENG"
        if any(lang == label_language for lang, _ in out):
            continue
        out.append((label_language, "; ".join(labels[c] for c in criteria.impacts) + "."))
    return out


def _criterion(c: AwardCriterion, languages: list[str]) -> etree._Element:
    sub = _el("cac:SubordinateAwardingCriterion")
    ext = _sub(_sub(_sub(_sub(sub, "ext:UBLExtensions"), "ext:UBLExtension"), "ext:ExtensionContent"),
               "efext:EformsExtension")  # fmt: skip
    param = _sub(ext, "efac:AwardCriterionParameter")
    _sub(param, "efbc:ParameterCode", WEIGHT_CODE, listName="number-weight")
    _sub(param, "efbc:ParameterNumeric", _number(c.weight))
    _sub(sub, "cbc:AwardingCriterionTypeCode", c.type, listName="award-criterion-type")
    for code, text in _texts(c.name, languages):
        _sub(sub, "cbc:Name", text, languageID=code)
    for code, text in _texts(c.description, languages):
        _sub(sub, "cbc:Description", text, languageID=code)
    return sub


def _fill_terms(lot: etree._Element, criteria: Criteria, languages: list[str]) -> None:
    had = [lot.find(p, NS) is not None for p in ("cac:TenderingTerms", "cac:TenderingTerms/cac:AwardingTerms")]
    terms = _child(lot, "cac:TenderingTerms", LOT_ORDER)
    awarding = _child(terms, "cac:AwardingTerms", TERMS_ORDER)
    main = _child(awarding, "cac:AwardingCriterion", AWARDING_ORDER)
    for tag in ("cac:SubordinateAwardingCriterion", "cbc:CalculationExpression", "cbc:Description"):
        for old in main.findall(tag, NS):
            _remove(old)
    for c in criteria.award:
        _insert(main, _criterion(c, languages), CRITERION_ORDER)
    # indent what was written: the outermost element created, or the rewritten criteria
    _tidy(terms if not had[0] else awarding if not had[1] else main, _unit_of(lot))


def _has(texts: dict[str, str], language: str) -> bool:
    return any(eforms_language(lang) == language for lang in texts)


def check_languages(criteria: Criteria, languages: list[str], name: str) -> list[str]:
    """The notice's additional languages the award texts lack; NoticeError when they lack its main language."""
    if not languages:
        raise NoticeError(f"{name}: the notice has no language (cbc:NoticeLanguageCode)")
    main, *others = languages
    lacking = [c.id for c in criteria.award if not (_has(c.name, main) and _has(c.description, main))]
    if lacking:
        raise NoticeError(f"{name}: the notice is in {main}, but profile {criteria.profile!r} has no {main} name and "
                          f"description for award criteria {', '.join(lacking)}: add them to its award.criteria "
                          "(BT-734 and BT-540 must be in the notice's language)")  # fmt: skip
    return [code for code in others if not all(_has(c.name, code) and _has(c.description, code) for c in criteria.award)]


def check_lot(tree: etree._ElementTree, name: str, lot: str | None) -> dict[str, etree._Element]:
    """The notice's lots; NoticeError when it has none, or not ``lot``."""
    lots = lots_of(tree)
    if not lots:
        raise NoticeError(f"{name}: the notice has no lot (cac:ProcurementProjectLot with cbc:ID schemeName='Lot')")
    if lot is not None and lot not in lots:
        raise NoticeError(f"{name}: the notice has no lot {lot!r} (its lots: {', '.join(lots)})")
    return lots


def fill(tree: etree._ElementTree, criteria: Criteria, name: str, lot: str | None = None) -> list[str]:
    """Write the criteria into one lot (or every lot) of a checked notice; return the lots filled."""
    lots = check_lot(tree, name, lot)
    languages = notice_languages(tree)
    check_languages(criteria, languages, name)
    chosen = [lot] if lot is not None else list(lots)
    for lot_id in chosen:
        element = lots[lot_id]
        project = _child(element, "cac:ProcurementProject", LOT_ORDER)
        _fill_project(project, criteria, languages)
        _fill_terms(element, criteria, languages)
    return chosen


def covered(criteria: Criteria) -> list[str]:
    """The business terms a fill or fragment writes for these criteria."""
    bts = ["BT-06", "BT-777"] if criteria.impacts else ["BT-06"]
    if criteria.impacts:
        bts.append("BT-774")
    if criteria.gpp is not None:
        bts.append("BT-805")
    if criteria.award:
        bts += ["BT-539", "BT-734", "BT-540", "BT-541", "BT-5421"]
    return bts


def fragment(criteria: Criteria, lot: str = "LOT-0001", languages: list[str] | None = None) -> bytes:
    """A standalone ``cac:ProcurementProjectLot`` holding the lot-level parts, with a note of its BTs."""
    own = eforms_language(criteria.language) or "ENG"
    # the profile's language where its award texts have it, else English: one language throughout
    langs = languages or ([own] if all(_has(c.name, own) and _has(c.description, own) for c in criteria.award) else ["ENG"])
    nsmap = {"cac": CAC, "cbc": CBC, "ext": EXT, "efac": EFAC, "efext": EFEXT, "efbc": EFBC}
    root = etree.Element(_q("cac", "ProcurementProjectLot"), nsmap=nsmap)  # type: ignore[arg-type]
    note = (f" tenderpack: eForms SDK {sdk_version()} lot-level fields {', '.join(covered(criteria))} for profile "
            f"{criteria.profile}, category {criteria.category}, level {criteria.level}. Copy cac:TenderingTerms/"
            "cac:AwardingTerms/cac:AwardingCriterion and the cac:ProcurementAdditionalType elements into the "
            "lot of your notice. ")  # fmt: skip
    root.append(etree.Comment(note.replace("--", "-")))
    _sub(root, "cbc:ID", lot, schemeName="Lot")
    terms = _sub(root, "cac:TenderingTerms")
    main = _sub(_sub(terms, "cac:AwardingTerms"), "cac:AwardingCriterion")
    for c in criteria.award:
        main.append(_criterion(c, langs))
    project = _sub(root, "cac:ProcurementProject")
    for list_name, code in _additional_types(criteria, []):
        project.append(_additional_type(list_name, code, criteria, langs))
    etree.indent(root, space="  ")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8")) + b"\n"


def _prolog_end(data: bytes) -> int:
    """Offset of the root element's start tag (after the XML declaration, comments and PIs)."""
    pos = 0
    while True:
        while pos < len(data) and data[pos:pos + 1] in b" \t\r\n\xef\xbb\xbf":
            pos += 1
        if data.startswith(b"<?", pos):
            pos = data.index(b"?>", pos) + 2
        elif data.startswith(b"<!--", pos):
            pos = data.index(b"-->", pos) + 3
        else:
            return pos


def serialise(tree: etree._ElementTree, original: bytes) -> bytes:
    """The notice with its prolog (declaration, leading comments) exactly as it was read."""
    encoding = tree.docinfo.encoding or "UTF-8"
    body = bytes(etree.tostring(tree.getroot(), encoding=encoding, xml_declaration=False))
    return original[:_prolog_end(original)] + body + (b"\n" if original.endswith(b"\n") else b"")


def codes_written(tree: etree._ElementTree | etree._Element) -> list[tuple[str, str]]:
    """(code list, code) of every code this module writes, as found in a notice or fragment."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    found = []
    for el in root.iter(_q("cbc", "ProcurementTypeCode"), _q("cbc", "AwardingCriterionTypeCode"),
                        _q("efbc", "ParameterCode")):  # fmt: skip
        if el.get("listName") in (*PURPOSE, "award-criterion-type", "number-weight"):
            found.append((el.get("listName") or "", (el.text or "").strip()))
    return found


def check_codes(tree: etree._ElementTree | etree._Element) -> list[str]:
    """Codes not in their vendored SDK code list (empty when all are known)."""
    return [f"{lst}:{code}" for lst, code in codes_written(tree) if code not in eforms_codes(lst)]


def read_notice(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise NoticeError(f"{path}: cannot be read: {exc.strerror or exc}") from None
