"""The walk's handlers of run-level elements: tracked insertions and deletions around runs, runs and their text,
fields, note references, comment ranges, symbols (ECMA-376 Part 1, §17.3.2, §17.3.3, §17.13)."""

from __future__ import annotations

import re

from lxml import etree

from wtpf_cli.ooxml.revisions import ChangeKind
from wtpf_cli.ooxml.walk import NO_MARKS, Context, Handler, Walk, Work, first_grandchild, local_name, run_properties
from wtpf_cli.ooxml.wordml import RPR, RPR_CHANGE, W

_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# A word of a field instruction: quoted (a backslash escapes a quote or a backslash in it: §17.16.1), or up to a
# space.
_FIELD_WORD = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')
_ESCAPED = re.compile(r"\\(.)")
_SWITCHES_WITH_ARGUMENT = {"\\l", "\\o", "\\t"}  # HYPERLINK's: location, tooltip, target frame
_RUN_KINDS: dict[str, ChangeKind] = {
    "ins": "insertion",
    "del": "deletion",
    "moveFrom": "move-from",
    "moveTo": "move-to",
}


def _constant(text: str) -> Handler:
    """A handler that emits a fixed text (a tab, a line break, a non-breaking hyphen)."""

    def handler(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
        walk.emit(text, ctx)

    return handler


def on_revision(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """w:ins, w:del, w:moveFrom, w:moveTo around runs: their content is inserted or deleted."""
    local = local_name(el)
    kind = _RUN_KINDS[local]
    index = walk.join_or_new_change(kind, el, ctx)
    inserted = local in ("ins", "moveTo")
    here = ctx.copy(
        inserted=ctx.inserted or inserted,
        deleted=ctx.deleted or not inserted,
        change=index,
        collect=(*ctx.collect, index),
    )
    walk.handle_in_place(list(el), here, stack, walk.in_revision)


def on_r(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A run: a formatting change of the run, then its content."""
    children = list(el)
    marks, change, first = NO_MARKS, None, True
    for child in children:
        if child.tag == RPR:  # the first w:rPr gives the marks; a w:rPrChange counts in any of them
            if first:
                marks, change = run_properties(child)
                first = False
            elif change is None:
                change = first_grandchild([child], RPR_CHANGE)
    here = ctx.marked(marks)
    if change is not None:
        index = walk.new_change("format", change, ctx, walk.current_index(), detail="rPrChange")
        here = here.copy(collect=(*ctx.collect, index))
    walk.handle_in_place(children, here, stack, walk.in_run)


def on_text(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """w:t and w:delText (also w:t in deleted or moved-from text): the text."""
    text = el.text
    para = walk.para
    if not text or para is None or walk.hidden_fields:
        return
    para.segments.append((text, ctx.inserted, ctx.deleted, ctx.change, None, ctx.marks, ctx.href or walk.field_href))
    para.last_change = ctx.change
    for index in ctx.collect:
        walk.changes[index].pieces.append(text)
    if walk.open_comments:
        walk.anchor_text(text)


def on_instruction(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """w:instrText and w:delInstrText: a complex field's instruction, kept until its result starts; never shown.

    Only what stands with the changes accepted: Word records a link's new target as the old instruction deleted
    (w:delInstrText in w:del) and the new one inserted (§17.16.8); the result links to the new target."""
    if el.text and walk.fields and not walk.fields[-1] and not ctx.deleted:
        walk.instructions[-1].append(el.text)


def on_fld_char(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A complex field's begin, separate or end: only the result shows, never the instruction; the result of a
    HYPERLINK field links to its target (§17.16.5.25), as a simple field's does."""
    kind = el.get(f"{W}fldCharType")
    if kind == "begin":
        walk.fields.append(False)
        walk.instructions.append([])
        walk.field_links.append(False)
        walk.hidden_fields += 1
    elif kind == "separate" and walk.fields and not walk.fields[-1]:
        walk.fields[-1] = True
        walk.hidden_fields -= 1
        href = hyperlink_target("".join(walk.instructions[-1]))
        if href is not None:
            walk.field_links[-1] = True
            walk.links_open.append(href)
            walk.field_href = href
    elif kind == "end" and walk.fields:
        if not walk.fields.pop():
            walk.hidden_fields -= 1
        walk.instructions.pop()
        if walk.field_links.pop():
            walk.links_open.pop()
            walk.field_href = walk.links_open[-1] if walk.links_open else None
    numbering = el.find(f"{W}numberingChange")
    if numbering is not None:
        walk.new_change("format", numbering, ctx, walk.current_index(), detail="numberingChange (field)")


def on_note_reference(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A footnote or endnote reference: its note lives and dies with it."""
    kind = "footnotes" if local_name(el) == "footnoteReference" else "endnotes"
    key = f"{kind}:{el.get(f'{W}id', '')}"
    walk.note_refs[key] = (ctx.inserted or ctx.held_inserted, ctx.deleted or ctx.held_deleted)
    if walk.para is not None and walk.visible():
        walk.para.segments.append(("", ctx.inserted, ctx.deleted, ctx.change, key, NO_MARKS, None))


def on_comment_start(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """The start of the text a comment is anchored on."""
    comment_id = el.get(f"{W}id", "")
    walk.open_comments[comment_id] = len(walk.anchor_pieces)
    walk.comment_paragraph[comment_id] = walk.current_index()


def on_comment_end(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """The end of a comment's anchor."""
    comment_id = el.get(f"{W}id", "")
    start = walk.open_comments.pop(comment_id, None)
    if start is not None:
        walk.anchors[comment_id] = (walk.anchor_since(start).strip("\n"), walk.comment_paragraph.get(comment_id))


def on_comment_reference(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A comment's reference mark: where a comment without a range stands."""
    comment_id = el.get(f"{W}id", "")
    walk.comment_paragraph.setdefault(comment_id, walk.current_index())


def on_hyperlink(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A hyperlink: its content, linked to its target (an external relationship's URI, or #anchor) (§17.16.22).

    Word writes a link to a place in another document as both (the URI without its fragment, the fragment as the
    anchor), although §17.16.22 says the anchor is then ignored: the fragment is put back, as Word shows it."""
    target = walk.links.get(el.get(_RID, "")) if el.get(_RID) else None
    anchor = el.get(f"{W}anchor")
    href = (
        (f"{target}#{anchor}" if anchor and "#" not in target else target)
        if target
        else (f"#{anchor}" if anchor else None)
    )
    here = ctx if href is None else ctx.copy(href=href)
    walk.push(stack, [c for c in el if not local_name(c).endswith("Pr")], here)


def on_simple_field(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A simple field: its result; a HYPERLINK field links it to the field's target (§17.16.5.25)."""
    href = hyperlink_target(el.get(f"{W}instr", ""))
    here = ctx if href is None else ctx.copy(href=href)
    walk.push(stack, [c for c in el if not local_name(c).endswith("Pr")], here)


def hyperlink_target(instruction: str) -> str | None:
    """The link of a HYPERLINK field's instruction (§17.16.5.25): its target, with the location its \\l switch
    names as the fragment (a location alone: a link within the document); None for another field."""
    words = [
        (_ESCAPED.sub(r"\1", m.group(1)), True) if m.group(1) is not None else (m.group(2), False)
        for m in _FIELD_WORD.finditer(instruction)
    ]
    if not words or words[0][0].upper() != "HYPERLINK":
        return None
    target = location = None
    k = 1
    while k < len(words):
        word, quoted = words[k]
        switch = "" if quoted or not word.startswith("\\") else word.lower()
        if switch in _SWITCHES_WITH_ARGUMENT:
            if switch == "\\l" and k + 1 < len(words):
                location = words[k + 1][0]
            k += 2
            continue
        if not switch and target is None:
            target = word
        k += 1
    if target is None:
        return f"#{location}" if location else None
    return f"{target}#{location}" if location else target


def on_ruby(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """Phonetic guide text: the base text only."""
    base = el.find(f"{W}rubyBase")
    if base is not None:
        walk.push(stack, list(base), ctx)


def on_sym(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A symbol character: its code as written (symbol fonts use the private use area, as LibreOffice shows)."""
    try:
        code = int(el.get(f"{W}char", ""), 16)
    except ValueError:
        return
    if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        walk.emit(chr(code), ctx)


def on_tab(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A tab character in a run (tab stops live in w:pPr, which the walk does not enter)."""
    walk.emit("\t", ctx)


RUN_HANDLERS: dict[str, Handler] = {
    "ins": on_revision,
    "del": on_revision,
    "moveFrom": on_revision,
    "moveTo": on_revision,
    "r": on_r,
    "t": on_text,
    "delText": on_text,
    "instrText": on_instruction,
    "delInstrText": on_instruction,
    "fldChar": on_fld_char,
    "footnoteReference": on_note_reference,
    "endnoteReference": on_note_reference,
    "commentRangeStart": on_comment_start,
    "commentRangeEnd": on_comment_end,
    "commentReference": on_comment_reference,
    "ruby": on_ruby,
    "hyperlink": on_hyperlink,
    "fldSimple": on_simple_field,
    "sym": on_sym,
    "tab": on_tab,
    "ptab": _constant("\t"),
    "br": _constant("\n"),
    "cr": _constant("\n"),
    "noBreakHyphen": _constant("-"),
}
