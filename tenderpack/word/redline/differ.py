"""The merge of two bodies with every difference as a tracked change."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import count
from typing import Any

from lxml import etree

from .base import (
    AUTHOR,
    BOOKMARKS,
    CONTAINERS,
    IGNORED,
    ROW_SIMILAR,
    SECTION_STYLES,
    SIMILAR,
    TOKENS,
    W_NS,
    XML_SPACE,
    RedlineResult,
    W,
)
from .units import Unit, _clause_anchor, _similarity, _style, _text, _xml, align

# ------------------------------------------------------------------------------------------ atoms


@dataclass
class Atom:
    """One comparable piece of a paragraph: a word or space, another run item, or an inline element."""

    kind: str  # text | rc (tab, break, field char …) | sdt | bm | el
    key: Any
    text: str = ""
    rpr: Any = None
    elem: Any = None


class Differ:
    """Builds the merged body; holds the revision id counter and the fixed date."""

    def __init__(self, date: str, old_root: Any, new_root: Any):
        self.date = date
        ids = [int(v) for v in new_root.xpath("//w:bookmarkStart/@w:id | //w:bookmarkEnd/@w:id", namespaces={"w": W_NS})
               if str(v).isdigit()]  # fmt: skip
        self.ids = count(max(ids, default=0) + 1)
        self.move_names: dict[str, str] = {}
        self.bm_old = self._bookmark_names(old_root)
        self.bm_new = self._bookmark_names(new_root)
        self.result = RedlineResult(b"")

    @staticmethod
    def _bookmark_names(root: Any) -> dict[str, str]:
        return {str(b.get(W + "id")): str(b.get(W + "name", "")) for b in root.iter(W + "bookmarkStart")}

    # ---------------------------------------------------------------- revision marks
    def mark(self, kind: str) -> Any:
        el = etree.Element(W + kind)
        el.set(W + "id", str(next(self.ids)))
        el.set(W + "author", AUTHOR)
        el.set(W + "date", self.date)
        if kind == "ins":
            self.result.insertions += 1
        elif kind == "del":
            self.result.deletions += 1
        return el

    # ---------------------------------------------------------------- body
    def diff_body(self, old_body: Any, new_body: Any) -> None:
        result = self.result
        sect = new_body.find(W + "sectPr")
        old_children = [el for el in old_body if el.tag != W + "sectPr" and isinstance(el.tag, str)]
        new_children = [el for el in new_body if el.tag != W + "sectPr" and isinstance(el.tag, str)]
        merged = self.diff_units(
            self.units(old_children, self.bm_old, clauses=True), self.units(new_children, self.bm_new, clauses=True)
        )
        self.settle_last_paragraph(merged)
        for el in list(new_body):
            new_body.remove(el)
        new_body.extend(merged)
        if sect is not None:
            new_body.append(sect)
        result.clauses_added.sort()
        result.clauses_removed.sort()
        result.clauses_moved.sort()
        result.clauses_changed.sort()

    def units(self, elems: Iterable[Any], bookmarks: dict[str, str], clauses: bool = False) -> list[Unit]:
        """Cut a sequence of block elements into units (clauses only at the top level)."""
        units: list[Unit] = []
        current: Unit | None = None
        for el in elems:
            if el.tag in IGNORED or el.tag in BOOKMARKS:
                if current is not None:
                    current.elems.append(el)
                else:
                    units.append(Unit("other", ("other", _xml(el)), [el]))
                continue
            if el.tag == W + "p":
                anchor = _clause_anchor(el) if clauses else ""
                if anchor:
                    current = Unit("clause", ("clause", anchor), [el], anchor=anchor)
                    units.append(current)
                    continue
                if _style(el) in SECTION_STYLES:
                    current = None
            if current is not None:
                current.elems.append(el)
                continue
            units.append(self.unit(el, bookmarks))
        return units

    def unit(self, el: Any, bookmarks: dict[str, str]) -> Unit:
        if el.tag == W + "p":
            atoms = tuple(a.key for a in self.atoms(el, bookmarks))
            return Unit("p", ("p", _style(el), atoms), [el], _text(el))
        if el.tag == W + "tbl":
            grid = el.find(W + "tblGrid")
            columns = len(grid) if grid is not None else 0
            return Unit("tbl", ("tbl", columns, _text(el)), [el], _text(el), columns=columns)
        return Unit("other", ("other", _xml(el)), [el], _text(el))

    def diff_units(self, old: list[Unit], new: list[Unit]) -> list[Any]:
        moved = self.moved_clauses(old, new)

        def key(u: Unit) -> Any:
            return ("moved", u.anchor, id(u)) if u.anchor in moved else u.key

        actions = align(old, new, key, lambda o, n: o.anchor not in moved and self.pairable(o, n), self.in_place)
        out: list[Any] = []
        for action, o, n in actions:
            if action in ("eq", "pair"):
                assert o is not None and n is not None
                out.extend(self.diff_pair(o, n) if action == "pair" or n.kind == "clause" else n.elems)
            elif action == "del":
                assert o is not None
                kind = "moveFrom" if o.anchor in moved else "del"
                if o.kind == "clause":
                    (self.result.clauses_moved if kind == "moveFrom" else self.result.clauses_removed).append(o.anchor)
                out.extend(self.old_content(o.elems, kind, o.anchor))
            else:
                assert n is not None
                kind = "moveTo" if n.anchor in moved else "ins"
                if n.kind == "clause" and kind == "ins":
                    self.result.clauses_added.append(n.anchor)
                out.extend(self.new_content(n.elems, kind, n.anchor))
        return out

    def moved_clauses(self, old: list[Unit], new: list[Unit]) -> set[str]:
        """Clauses in both documents that cannot stay in place: as few as possible, preferring unchanged ones.

        The clauses kept in place form the heaviest common subsequence of both clause orders; a clause
        weighs 1000, plus 1 when its content changed, so that among equally short lists of moves the
        moved clauses are those without edits (a clean move) and edited clauses show word by word.
        """
        olds = [u for u in old if u.kind == "clause"]
        news = [u for u in new if u.kind == "clause"]
        once = {a for a in {u.anchor for u in olds} & {u.anchor for u in news}
                if sum(u.anchor == a for u in olds) == 1 and sum(u.anchor == a for u in news) == 1}  # fmt: skip
        a = [u for u in olds if u.anchor in once]
        b = {u.anchor: (j, u) for j, u in enumerate(u for u in news if u.anchor in once)}
        if [u.anchor for u in a] == sorted(b, key=lambda k: b[k][0]):
            return set()
        positions = [b[u.anchor][0] for u in a]
        weights = [
            1000 + (self.content_key(u, self.bm_old) != self.content_key(b[u.anchor][1], self.bm_new)) for u in a
        ]
        best = list(weights)
        back = [-1] * len(a)
        for i in range(len(a)):
            for k in range(i):
                if positions[k] < positions[i] and best[k] + weights[i] > best[i]:
                    best[i], back[i] = best[k] + weights[i], k
        i = max(range(len(a)), key=lambda x: best[x])
        kept = set()
        while i >= 0:
            kept.add(a[i].anchor)
            i = back[i]
        return once - kept

    def content_key(self, u: Unit, bookmarks: dict[str, str]) -> tuple[Any, ...]:
        return tuple(x.key for x in self.units(u.elems, bookmarks))

    def pairable(self, o: Unit, n: Unit) -> bool:
        if o.kind != n.kind:
            return False
        if o.kind == "clause":
            return o.anchor == n.anchor
        if o.kind == "p":
            return _similarity(o.text, n.text) >= SIMILAR
        if o.kind == "tbl":
            return o.columns == n.columns and _similarity(o.text, n.text) >= ROW_SIMILAR
        return bool(o.key == n.key)

    @staticmethod
    def in_place(o: Unit, n: Unit) -> bool:
        """Paragraphs of one style (or tables of one width) in the same place are one edited block."""
        if o.kind == n.kind == "p":
            return bool(o.key[1] == n.key[1])
        return o.kind == n.kind == "tbl" and o.columns == n.columns

    def diff_pair(self, o: Unit, n: Unit) -> list[Any]:
        if o.kind == "clause":
            old_units, new_units = self.units(o.elems, self.bm_old), self.units(n.elems, self.bm_new)
            if [u.key for u in old_units] != [u.key for u in new_units]:
                self.result.clauses_changed.append(n.anchor)
            return self.diff_units(old_units, new_units)
        if o.kind == "p":
            return [self.diff_paragraph(o.elems[0], n.elems[0])]
        if o.kind == "tbl":
            return [self.diff_table(o.elems[0], n.elems[0])]
        return list(n.elems)

    # ---------------------------------------------------------------- whole elements
    def old_content(self, elems: list[Any], kind: str, anchor: str = "") -> list[Any]:
        """Old elements, copied and marked deleted (or moved away)."""
        out = [m for el in elems for m in self.mark_tree(copy.deepcopy(el), kind, old=True)]
        if kind == "moveFrom":
            self.move_range(out, kind, anchor)
            self.result.moves += 1
        return out

    def new_content(self, elems: list[Any], kind: str, anchor: str = "") -> list[Any]:
        """New elements marked inserted (or moved here)."""
        out = [m for el in elems for m in self.mark_tree(el, kind, old=False)]
        if kind == "moveTo":
            self.move_range(out, kind, anchor)
        return out

    def move_range(self, elems: list[Any], kind: str, anchor: str) -> None:
        """Name the move (the same name at both ends): a range start in the first paragraph, the end in the last."""
        paragraphs = [el for el in elems if el.tag == W + "p"]
        if not paragraphs:
            return
        name = self.move_names.setdefault(anchor, f"move{len(self.move_names) + 1}")
        rid = str(next(self.ids))
        start = etree.Element(W + f"{kind}RangeStart")
        start.set(W + "id", rid)
        start.set(W + "author", AUTHOR)
        start.set(W + "date", self.date)
        start.set(W + "name", name)
        end = etree.Element(W + f"{kind}RangeEnd")
        end.set(W + "id", rid)
        first, last = paragraphs[0], paragraphs[-1]
        first.insert(1 if first.find(W + "pPr") is not None else 0, start)
        last.append(end)

    def mark_tree(self, el: Any, kind: str, old: bool) -> list[Any]:
        """Mark every run, paragraph mark and table row inside ``el`` as ``kind``.

        Content controls inside inserted or deleted content are replaced by their content: Word and
        LibreOffice do not agree on revisions inside a control, and a redline is for reading, not for
        answering. Old content loses its bookmarks (the new document has them).
        """
        holder = etree.Element(W + "holder")
        holder.append(el)
        for sdt in list(holder.iter(W + "sdt")):
            content = sdt.find(W + "sdtContent")
            for child in list(content) if content is not None else []:
                sdt.addprevious(child)
            sdt.getparent().remove(sdt)
        if old:
            for bm in list(holder.iter(*BOOKMARKS)):
                bm.getparent().remove(bm)
        for container in [holder, *holder.iter(*CONTAINERS)]:
            self.wrap_runs(container, kind)
        for p in list(holder.iter(W + "p")):
            self.mark_paragraph(p, kind)
        for tr in list(holder.iter(W + "tr")):
            self.mark_row(tr, "ins" if kind in ("ins", "moveTo") else "del")
        out = list(holder)
        for child in out:
            holder.remove(child)
        return out

    def wrap_runs(self, container: Any, kind: str) -> None:
        """Wrap each stretch of consecutive runs directly inside ``container`` in one revision element."""
        group: list[Any] = []
        for child in [*container, None]:
            if child is not None and child.tag == W + "r":
                group.append(child)
                continue
            if group:
                wrapper = self.mark(kind)
                group[0].addprevious(wrapper)
                for r in group:
                    if kind == "del":
                        _to_deleted(r)
                    wrapper.append(r)
                group = []

    def mark_paragraph(self, p: Any, kind: str) -> None:
        """Mark the paragraph mark itself (``pPr/rPr``): the paragraph was inserted or deleted whole."""
        _mark_rpr(p).insert(0, self.mark(kind))

    def mark_row(self, tr: Any, kind: str) -> None:
        trpr = tr.find(W + "trPr")
        if trpr is None:
            trpr = etree.Element(W + "trPr")
            prex = tr.find(W + "tblPrEx")
            if prex is not None:
                prex.addnext(trpr)
            else:
                tr.insert(0, trpr)
        change = trpr.find(W + "trPrChange")
        mark = self.mark(kind)
        if change is not None:
            change.addprevious(mark)
        else:
            trpr.append(mark)

    # ---------------------------------------------------------------- paragraphs
    def atoms(self, p: Any, bookmarks: dict[str, str]) -> list[Atom]:
        out: list[Atom] = []
        self._atoms(p, bookmarks, out)
        return out

    def _atoms(self, container: Any, bookmarks: dict[str, str], out: list[Atom]) -> None:
        for child in container:
            tag = child.tag
            if not isinstance(tag, str) or tag == W + "pPr" or tag in IGNORED:
                continue
            if tag == W + "r":
                rpr = child.find(W + "rPr")
                rkey = _xml(rpr) if rpr is not None else b""
                for item in child:
                    if item.tag == W + "rPr" or item.tag in IGNORED:
                        continue
                    if item.tag in (W + "t", W + "delText"):
                        for token in TOKENS.findall(item.text or ""):
                            out.append(Atom("text", ("t", token, rkey), token, rpr))
                    else:
                        out.append(Atom("rc", ("rc", _xml(item), rkey), "", rpr, item))
            elif tag == W + "ins":
                self._atoms(child, bookmarks, out)  # an input with revisions: its insertions count as text
            elif tag in (W + "del", W + "moveFrom"):
                continue
            elif tag == W + "moveTo":
                self._atoms(child, bookmarks, out)
            elif tag in BOOKMARKS:
                name = child.get(W + "name") or bookmarks.get(str(child.get(W + "id")), "")
                out.append(Atom("bm", ("bm", tag, name), elem=child))
            elif tag == W + "sdt":
                out.append(Atom("sdt", ("sdt", _sdt_key(child)), _text(child), elem=child))
            else:
                out.append(Atom("el", ("el", _xml(child)), _text(child), elem=child))

    def diff_paragraph(self, old_p: Any, new_p: Any) -> Any:
        old_atoms = self.atoms(old_p, self.bm_old)
        new_atoms = self.atoms(new_p, self.bm_new)
        # spaces never anchor a match on their own (they only extend one), so that "commonly available
        # tools" → "tools sold" is one deletion and one insertion, not a word-and-space patchwork
        sm = difflib.SequenceMatcher(_is_space, [a.key for a in old_atoms], [a.key for a in new_atoms], autojunk=False)
        pieces: list[tuple[str, Atom]] = []
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                pieces.extend(("eq", a) for a in new_atoms[j1:j2])
                continue
            pieces.extend(("del", a) for a in old_atoms[i1:i2])
            pieces.extend(("ins", a) for a in new_atoms[j1:j2])
        ppr = new_p.find(W + "pPr")
        for child in list(new_p):
            if child is not ppr:
                new_p.remove(child)
        self.emit(new_p, pieces)
        old_ppr = old_p.find(W + "pPr")
        if _style(old_p) != _style(new_p):
            self.ppr_change(new_p, old_ppr)
        return new_p

    def ppr_change(self, p: Any, old_ppr: Any) -> None:
        ppr = p.find(W + "pPr")
        if ppr is None:
            ppr = etree.Element(W + "pPr")
            p.insert(0, ppr)
        change = self.mark("pPrChange")
        self.result.format_changes += 1
        previous = etree.SubElement(change, W + "pPr")
        if old_ppr is not None:
            for child in old_ppr:
                if child.tag not in (W + "rPr", W + "sectPr", W + "pPrChange"):
                    previous.append(copy.deepcopy(child))
        ppr.append(change)

    def emit(self, p: Any, pieces: list[tuple[str, Atom]]) -> None:
        """Append the pieces to ``p`` as runs, grouped by status and formatting."""
        wrapper: Any = None  # the open w:ins / w:del
        wrapper_kind = ""
        run: Any = None
        run_key: tuple[str, bytes] | None = None
        for status, atom in pieces:
            if atom.kind == "bm":
                run, run_key, wrapper = None, None, None
                if status != "del":
                    p.append(atom.elem)
                continue
            if atom.kind in ("sdt", "el"):
                run, run_key, wrapper = None, None, None
                if status == "eq":
                    p.append(atom.elem)
                elif status == "del":
                    p.extend(self.mark_tree(copy.deepcopy(atom.elem), "del", old=True))
                else:
                    p.extend(self.mark_tree(atom.elem, "ins", old=False))
                continue
            rkey = (status, _xml(atom.rpr) if atom.rpr is not None else b"")
            if status == "eq":
                parent = p
                wrapper = None
            else:
                if wrapper is None or wrapper_kind != status or wrapper.getparent() is not p or p[-1] is not wrapper:
                    wrapper = self.mark(status)
                    wrapper_kind = status
                    p.append(wrapper)
                    run = None
                parent = wrapper
            if run is None or run_key != rkey or run.getparent() is not parent or parent[-1] is not run:
                run = etree.SubElement(parent, W + "r")
                if atom.rpr is not None:
                    run.append(copy.deepcopy(atom.rpr))
                run_key = rkey
            if atom.kind == "text":
                tag = W + ("delText" if status == "del" else "t")
                last = run[-1] if len(run) else None
                if last is not None and last.tag == tag:
                    last.text = (last.text or "") + atom.text
                else:
                    t = etree.SubElement(run, tag)
                    t.text = atom.text
                    t.set(XML_SPACE, "preserve")
            else:
                item = copy.deepcopy(atom.elem)
                if status == "del" and item.tag == W + "instrText":
                    item.tag = W + "delInstrText"
                run.append(item)

    def settle_last_paragraph(self, elems: list[Any]) -> None:
        """The last paragraph mark of a cell (or of the body) cannot be inserted or deleted: as Word does,
        mark the paragraph before it instead, and keep the paragraph properties right both ways."""
        if len(elems) < 2 or elems[-1].tag != W + "p" or elems[-2].tag != W + "p":
            return
        last, prev = elems[-1], elems[-2]
        mark = _mark_of(last)
        if mark is None or _mark_of(prev) is not None:
            return
        mark.getparent().remove(mark)
        _mark_rpr(prev).insert(0, mark)
        if _ppr_key(prev) == _ppr_key(last) or last.find(f"{W}pPr/{W}pPrChange") is not None:
            return
        inserted = mark.tag in (W + "ins", W + "moveTo")
        old_ppr = prev.find(W + "pPr") if inserted else copy.deepcopy(last.find(W + "pPr"))
        if not inserted:  # accepted, the merged paragraph ends with this mark: give it the kept paragraph's properties
            ppr = last.find(W + "pPr")
            for child in [c for c in ppr if c.tag not in (W + "rPr", W + "sectPr", W + "pPrChange")]:
                ppr.remove(child)
            for i, child in enumerate(c for c in prev.find(W + "pPr") if c.tag not in (W + "rPr", W + "sectPr")):
                ppr.insert(i, copy.deepcopy(child))
        self.ppr_change(last, old_ppr)

    # ---------------------------------------------------------------- tables
    def diff_table(self, old_tbl: Any, new_tbl: Any) -> Any:
        old_rows = [r for r in old_tbl if r.tag == W + "tr"]
        new_rows = [r for r in new_tbl if r.tag == W + "tr"]
        first_new = new_rows[0] if new_rows else None
        first_old = old_rows[0] if old_rows else None

        def pairable(o: Any, n: Any) -> bool:
            if len(o.findall(W + "tc")) != len(n.findall(W + "tc")):
                return False
            return (o is first_old and n is first_new) or _similarity(_text(o), _text(n)) >= ROW_SIMILAR

        def same_cells(o: Any, n: Any) -> bool:
            return len(o.findall(W + "tc")) == len(n.findall(W + "tc"))

        actions = align(old_rows, new_rows, _row_key, pairable, same_cells)
        anchor = new_rows[0].getprevious() if new_rows else new_tbl[-1]
        for r in new_rows:
            new_tbl.remove(r)
        merged: list[Any] = []
        for action, o, n in actions:
            if action == "eq":
                merged.append(n)
            elif action == "pair":
                merged.append(self.diff_row(o, n))
            elif action == "del":
                merged.extend(self.mark_tree(copy.deepcopy(o), "del", old=True))
            else:
                merged.extend(self.mark_tree(n, "ins", old=False))
        for row in reversed(merged):
            anchor.addnext(row)
        return new_tbl

    def diff_row(self, old_tr: Any, new_tr: Any) -> Any:
        for old_tc, new_tc in zip(old_tr.findall(W + "tc"), new_tr.findall(W + "tc"), strict=True):
            old_blocks = [c for c in old_tc if c.tag != W + "tcPr"]
            new_blocks = [c for c in new_tc if c.tag != W + "tcPr"]
            for c in new_blocks:
                new_tc.remove(c)
            merged = self.diff_units(self.units(old_blocks, self.bm_old), self.units(new_blocks, self.bm_new))
            self.settle_last_paragraph(merged)
            new_tc.extend(merged)
        return new_tr


def _mark_rpr(p: Any) -> Any:
    """``pPr/rPr`` of a paragraph (created in schema order when missing): where its mark's revision goes."""
    ppr = p.find(W + "pPr")
    if ppr is None:
        ppr = etree.Element(W + "pPr")
        p.insert(0, ppr)
    rpr = ppr.find(W + "rPr")
    if rpr is None:
        rpr = etree.Element(W + "rPr")
        after = [c for c in ppr if c.tag in (W + "sectPr", W + "pPrChange")]
        if after:
            after[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    return rpr


def _mark_of(p: Any) -> Any:
    """The revision mark on a paragraph's mark (``pPr/rPr/w:ins`` …), or None."""
    rpr = p.find(f"{W}pPr/{W}rPr")
    if rpr is None:
        return None
    return next((c for c in rpr if c.tag in (W + "ins", W + "del", W + "moveFrom", W + "moveTo")), None)


def _ppr_key(p: Any) -> bytes:
    ppr = p.find(W + "pPr")
    kept = [c for c in (ppr if ppr is not None else []) if c.tag not in (W + "rPr", W + "sectPr", W + "pPrChange")]
    return b"".join(_xml(c) for c in kept)


def _is_space(key: Any) -> bool:
    return bool(key[0] == "t" and key[1].isspace())


def _row_key(tr: Any) -> Any:
    return tuple(_text(tc) for tc in tr.findall(W + "tc"))


def _sdt_key(sdt: Any) -> bytes:
    """A content control without its id and display label (both change when questions are renumbered)."""
    clone = copy.deepcopy(sdt)
    for el in list(clone.iter(W + "id", W + "alias")):
        parent = el.getparent()
        if parent is not None and parent.tag == W + "sdtPr":
            parent.remove(el)
    return _xml(clone)


def _to_deleted(run: Any) -> None:
    for el in run:
        if el.tag == W + "t":
            el.tag = W + "delText"
        elif el.tag == W + "instrText":
            el.tag = W + "delInstrText"
