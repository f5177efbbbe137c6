"""Render a Redline (or a clean document: a redline without revisions) as one self-contained HTML page.

The page is for posting online: inline CSS, no scripts, no external fetches (links in the text stay links).
Insertions and deletions are <ins>/<del> in their source's colour, with the author and date in `title`; moved text
is an <ins>/<del> of class "moved", words formatted anew a <span> of class "fmt".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from itertools import groupby, islice
from operator import attrgetter

from wtpf_cli.labels import format_date
from wtpf_cli.languages import is_rtl, language_code
from wtpf_cli.markdown.cover import COVER_STYLES
from wtpf_cli.markdown.tokens import plain_text
from wtpf_cli.model import BODY, Meta, RComment, Redline, Revision, RParagraph, RRow, RRun, RTable
from wtpf_cli.render.colours import source_colours
from wtpf_cli.render.summary import tally

_HEADING_LEVELS = {"Heading1": 2, "Heading2": 3, "Heading3": 4, "Heading4": 5}  # h1 is the title
_COVER_TAGS = {"CoverSymbol": "symbol", "CoverMeta": "cover-meta", "Title": "title", "Subtitle": "subtitle"}
_SAFE_HREF = re.compile(r"^(?:https?:|mailto:|ftp:|#|/|\.|[^:/?#]*(?:[/?#]|$))", re.I)
_RUN_KEY = attrgetter("token.marks", "token.href", "ins", "dele", "token.note", "formatted")
_MARK_TAGS = (("code", "code"), ("strike", "s"), ("em", "em"), ("strong", "strong"))  # innermost first
_MARK_NAMES = {"strong": "bold", "em": "italic", "strike": "struck through", "code": "code"}
_STYLE_NAMES = {
    "BodyText": "body text",
    "Heading1": "a heading",
    "Heading2": "a heading of level 2",
    "Heading3": "a heading of level 3",
    "Heading4": "a heading of level 4",
    "ListParagraph": "a list paragraph",
    "BlockQuote": "a quotation",
    "SourceCode": "code",
}


def format_stamp(stamp: str) -> str:
    """'2012-05-15T18:45:00Z' -> '15 May 2012, 18:45 UTC' (other text is returned as is)."""
    try:
        when = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return stamp
    return f"{format_date(when.date().isoformat())}, {when:%H:%M} UTC"


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")[:60]


@dataclass
class _Heading:
    level: int
    ident: str
    text: str
    gone: Revision | None  # the heading was deleted
    new: Revision | None  # the heading was inserted


class HtmlRenderer:
    """Turns Redline blocks into HTML; one instance per page."""

    def __init__(self, redline: Redline) -> None:
        self.redline = redline
        self.sources: dict[str, int] = {}
        for name in (*redline.sources, *_authors(redline)):
            self.sources.setdefault(name, len(self.sources) + 1)
        self.notes: dict[str, int] = {}  # footnote label -> number, in order of first reference
        self.note_refs: dict[str, int] = {}  # footnote label -> references rendered so far
        self.comments = 0
        self.headings: list[_Heading] = []
        self.ids: set[str] = set()

    # -- revisions -------------------------------------------------------------------------------------------

    def _source_class(self, author: str) -> str:
        return f"s{self.sources.setdefault(author, len(self.sources) + 1)}"

    def _rev_attrs(self, kind: str, rev: Revision, extra_class: str = "") -> str:
        """class, datetime, title and data-n of an <ins> or <del> (a moved text's too)."""
        if rev.move:
            verb = "Moved here" if kind == "ins" else "Moved from here"
            extra_class = " ".join(x for x in (extra_class, "moved") if x)
        else:
            verb = "Inserted" if kind == "ins" else "Deleted"
        cls = " ".join(x for x in (extra_class, self._source_class(rev.author)) if x)
        title = f"{verb} by {rev.author}, {format_stamp(rev.date)}"
        n = self.sources[rev.author]
        return f' class="{cls}" datetime="{escape(rev.date)}" title="{escape(title)}" data-n="{n}"'

    def _wrap(self, inner: str, ins: Revision | None, dele: Revision | None) -> str:
        if ins is not None:
            inner = f"<ins{self._rev_attrs('ins', ins)}>{inner}</ins>"
        if dele is not None:
            inner = f"<del{self._rev_attrs('del', dele)}>{inner}</del>"
        return inner

    def _mark(self, ins: Revision | None, dele: Revision | None) -> str:
        """A changed paragraph mark, shown as a pilcrow by CSS (not part of the text)."""
        if dele is not None:
            return f"<del{self._rev_attrs('del', dele, 'pmark')}></del>"
        if ins is not None:
            return f"<ins{self._rev_attrs('ins', ins, 'pmark')}></ins>"
        return ""

    # -- runs ------------------------------------------------------------------------------------------------

    def _note_ref(self, label: str) -> str:
        number = self.notes.setdefault(label, len(self.notes) + 1)
        k = self.note_refs[label] = self.note_refs.get(label, 0) + 1
        ident = f"fnref-{number}" if k == 1 else f"fnref-{number}-{k}"
        return f'<sup class="fnref"><a id="{ident}" href="#fn-{number}" role="doc-noteref">{number}</a></sup>'

    def inline(
        self,
        runs: Iterable[RRun],
        comments: tuple[RComment, ...] = (),
        *,
        pre: bool = False,
        row: RRow | None = None,
    ) -> tuple[str, list[str]]:
        """HTML of runs grouped by formatting, revision and link; comment anchors highlighted. Also returns the
        comment notes to show beside the paragraph."""
        numbered = [(self._next_comment(), c) for c in comments]
        bounds = {c.start for c in comments} | {max(c.end, c.start + 1) for c in comments}
        groups: list[tuple[list[RRun], int]] = []
        k = 0
        for key, same in groupby(runs, _RUN_KEY):
            members = list(same)
            if key[4] is not None:  # a footnote reference stands alone
                groups.extend(([m], k + x) for x, m in enumerate(members))
            else:
                start = 0
                for x in range(1, len(members)):
                    if k + x in bounds:
                        groups.append((members[start:x], k + start))
                        start = x
                groups.append((members[start:], k + start))
            k += len(members)
        ends: dict[int, list[str]] = {}
        for n, c in numbered:
            ends.setdefault(max(c.end, c.start + 1), []).append(self._comment_marker(n, c))
        out: list[str] = []
        link: str | None = None
        link_parts: list[str] = []
        pending: list[str] = []  # comment markers waiting for the link they end in to close (no nested <a>)

        def close_link() -> None:
            nonlocal link, link_parts
            if link is not None:
                out.append(f'<a href="{escape(link)}">{"".join(link_parts)}</a>')
            link, link_parts = None, []
            out.extend(pending)
            pending.clear()

        for members, first_index in groups:
            first = members[0]
            href = first.token.href if first.token.href and _SAFE_HREF.match(first.token.href) else None
            if href != link:
                close_link()
                link = href
            if first.token.note is not None:
                frag = self._note_ref(first.token.note)
            else:
                frag = escape("".join(m.token.text for m in members), quote=False)
                if not pre:
                    frag = frag.replace("\n", "<br>")
                for mark, tag in _MARK_TAGS:
                    if mark in first.token.marks:
                        frag = f"<{tag}>{frag}</{tag}>"
            if first.formatted is not None:
                frag = self._formatted(frag, first.formatted.rev, first.formatted.marks)
            covering = [(n, c) for n, c in numbered if c.start <= first_index < max(c.end, c.start + 1)]
            if covering:
                who = "; ".join(f"comment C{n} by {c.author}" for n, c in covering)
                frag = f'<mark class="commented" title="{escape(who)}">{frag}</mark>'
            ins = first.ins or (row.ins if row is not None else None)
            dele = first.dele or (row.dele if row is not None else None)
            frag = self._wrap(frag, ins, dele)
            (link_parts if link is not None else out).append(frag)
            (pending if link is not None else out).extend(ends.pop(first_index + len(members), []))
        close_link()
        for _, markers in sorted(ends.items()):  # anchored beyond the paragraph's end
            out.extend(markers)
        notes = [self._comment_note(n, c) for n, c in numbered]
        return "".join(out), notes

    def _formatted(self, frag: str, rev: Revision, before: frozenset[str]) -> str:
        """Words formatted anew: a span in the source's colour saying what they were."""
        was = ", ".join(_MARK_NAMES[m] for m in sorted(before) if m in _MARK_NAMES) or "plain"
        title = f"Formatted by {rev.author}, {format_stamp(rev.date)} (was {was})"
        cls = f"fmt {self._source_class(rev.author)}"
        return f'<span class="{cls}" title="{escape(title)}" data-n="{self.sources[rev.author]}">{frag}</span>'

    def _next_comment(self) -> int:
        self.comments += 1
        return self.comments

    def _comment_marker(self, n: int, c: RComment) -> str:
        title = escape(f"Comment by {c.author}: {c.text}")
        return f'<sup class="cref"><a id="cref-{n}" href="#comment-{n}" title="{title}">C{n}</a></sup>'

    def _comment_note(self, n: int, c: RComment) -> str:
        return (
            f'<div class="comment" id="comment-{n}" role="note">'
            f'<p class="comment-head"><a class="backref" href="#cref-{n}">C{n}</a> '
            f'<span class="who {self._source_class(c.author)}">{escape(c.author)}</span> '
            f'<time datetime="{escape(c.date)}">{escape(format_stamp(c.date))}</time></p>'
            f"<p>{escape(c.text)}</p></div>"
        )

    # -- blocks ----------------------------------------------------------------------------------------------

    def _para_attrs(self, para: RParagraph, base: str = "", ident: str = "") -> str:
        classes = [base] if base else []
        changed_by = {r.ins.author for r in para.runs if r.ins} | {r.dele.author for r in para.runs if r.dele}
        changed_by |= {r.formatted.rev.author for r in para.runs if r.formatted}
        kind = para.kind_change
        for rev in (para.ins, para.dele, kind.rev if kind is not None else None):
            if rev is not None:
                changed_by.add(rev.author)
        if changed_by:
            classes.append("changed")
            if len(changed_by) == 1:
                classes.append(f"bar-{self._source_class(next(iter(changed_by)))}")
        if para.runs and all(r.dele for r in para.runs) and para.dele is not None:
            classes.append("para-del")
        elif para.runs and all(r.ins for r in para.runs) and para.ins is not None:
            classes.append("para-ins")
        attrs = f' id="{ident}"' if ident else ""
        if classes:
            attrs += f' class="{" ".join(classes)}"'
        if kind is not None:
            was = _STYLE_NAMES.get(kind.props.style, kind.props.style)
            if kind.props.list_kind:
                was = "numbered list item" if kind.props.list_kind == "ordered" else "bulleted list item"
            title = f"Formatted by {kind.rev.author}, {format_stamp(kind.rev.date)} (was {was})"
            attrs += f' title="{escape(title)}"'
        return attrs

    def _content(self, para: RParagraph, *, pre: bool = False) -> tuple[str, list[str]]:
        text, notes = self.inline(para.runs, para.comments, pre=pre)
        return text + self._mark(para.ins, para.dele), notes

    def _asides(self, notes: list[str]) -> str:
        return f'<aside class="comments" aria-label="Comments">{"".join(notes)}</aside>' if notes else ""

    def _with_notes(self, block: str, notes: list[str]) -> str:
        """A block and its comment notes: the notes first, so that in a wide window they float in the margin
        level with the block; elsewhere CSS shows them under it."""
        if not notes:
            return block
        return f'<div class="with-notes">{self._asides(notes)}{block}</div>'

    def _heading(self, para: RParagraph, level: int) -> str:
        new_text = plain_text([r.token for r in para.runs if r.dele is None]).strip()
        old_text = plain_text([r.token for r in para.runs if r.ins is None]).strip()
        gone = para.dele if para.dele is not None and not new_text else None
        text = new_text or old_text
        ident = self._unique_id(f"sec-{_slug(text) or len(self.headings) + 1}")
        self.headings.append(_Heading(level, ident, text, gone, para.ins if not old_text else None))
        content, notes = self._content(para)
        return self._with_notes(f"<h{level}{self._para_attrs(para, ident=ident)}>{content}</h{level}>", notes)

    def _unique_id(self, base: str) -> str:
        ident, k = base, 1
        while ident in self.ids:
            k += 1
            ident = f"{base}-{k}"
        self.ids.add(ident)
        return ident

    def paragraph(self, para: RParagraph, tail: str = "") -> str:
        """A body paragraph other than a heading or list item: <p>, or <pre> for code; `tail` ends the <p>."""
        if para.props.style == "SourceCode":
            content, notes = self._content(para, pre=True)
            return self._with_notes(f"<pre{self._para_attrs(para)}><code>{content}</code></pre>", notes)
        content, notes = self._content(para)
        align = f"align-{para.props.align}" if para.props.align in ("left", "center", "right") else ""
        return self._with_notes(f"<p{self._para_attrs(para, align)}>{content}{tail}</p>", notes)

    def table(self, table: RTable) -> str:
        head: list[str] = []
        body: list[str] = []
        notes: list[str] = []
        for row in table.rows:
            cells = []
            tag = "th" if row.header else "td"
            for c, cell in enumerate(row.cells):
                align = table.align[c] if c < len(table.align) else None
                cls = f' class="align-{align}"' if align in ("left", "center", "right") else ""
                text, cell_notes = self.inline(cell, row.comments[c] if c < len(row.comments) else (), row=row)
                notes += cell_notes
                cells.append(f"<{tag}{cls}>{text}</{tag}>")
            attrs = ""
            rev = row.dele or row.ins
            if rev is not None:
                kind = "row-del" if row.dele is not None else "row-ins"
                verb = "Row deleted" if row.dele is not None else "Row inserted"
                title = f"{verb} by {rev.author}, {format_stamp(rev.date)}"
                attrs = f' class="{kind} {self._source_class(rev.author)}" title="{escape(title)}"'
            (head if row.header else body).append(f"<tr{attrs}>{''.join(cells)}</tr>")
        thead = f"<thead>{''.join(head)}</thead>" if head else ""
        drawn = f'<div class="table-wrap"><table>{thead}<tbody>{"".join(body)}</tbody></table></div>'
        return self._with_notes(drawn, notes)

    def body(self) -> tuple[str, str, str]:
        """The cover, the body and the endnotes."""
        cover: list[str] = []
        out: list[str] = []
        notes: dict[str, list[RParagraph]] = {}
        lists: list[tuple[str, int]] = []  # open lists: (kind, list id), one per level
        quote = False

        def close_lists(depth: int) -> None:
            while len(lists) > depth:
                kind, _ = lists.pop()
                out.append("</li></ol>" if kind == "ordered" else "</li></ul>")

        def close_all() -> None:
            nonlocal quote
            close_lists(0)
            if quote:
                out.append("</blockquote>")
                quote = False

        for block in self.redline.blocks:
            if isinstance(block, RTable):
                close_all()
                out.append(self.table(block))
                continue
            props = block.props
            if props.container != BODY:
                notes.setdefault(props.container[3:], []).append(block)
                continue
            if props.style in COVER_STYLES:
                content, asides = self._content(block)
                if props.style == "Title":
                    line = f"<h1{self._para_attrs(block, 'title')}>{content}</h1>"
                else:
                    line = f"<p{self._para_attrs(block, _COVER_TAGS[props.style])}>{content}</p>"
                cover.append(self._with_notes(line, asides))
                continue
            level = _HEADING_LEVELS.get(props.style)
            if level is not None:
                close_all()
                out.append(self._heading(block, level))
            elif props.style == "ListParagraph":
                if quote:
                    out.append("</blockquote>")
                    quote = False
                out.append(self._list_item(block, lists, close_lists))
            elif props.style == "BlockQuote":
                close_lists(0)
                if not quote:
                    out.append("<blockquote>")
                    quote = True
                out.append(self.paragraph(block))
            else:
                close_all()
                out.append(self.paragraph(block))
        close_all()
        return "".join(cover), "".join(out), self._endnotes(notes)

    def _list_item(self, para: RParagraph, lists: list[tuple[str, int]], close_lists: Callable[[int], None]) -> str:
        props = para.props
        depth = props.list_level + 1
        parts: list[str] = []
        if props.list_kind is None:  # a further paragraph of the current item
            close_lists(min(depth, len(lists)))
            content, notes = self._content(para)
            cls = "" if lists else "list-cont"
            return self._with_notes(f"<p{self._para_attrs(para, cls)}>{content}</p>", notes)
        kind = props.list_kind
        key = (kind, props.list_id)
        close_lists(depth)
        if len(lists) == depth and lists[-1] != key:
            close_lists(depth - 1)
        if len(lists) == depth:
            parts.append("</li>")
        while len(lists) < depth:
            if kind == "ordered" and len(lists) == depth - 1:
                start = f' start="{props.list_start}"' if props.list_start != 1 else ""
                parts.append(f"<ol{start}>")
            else:
                parts.append("<ol>" if kind == "ordered" else "<ul>")
            lists.append(key)
            if len(lists) < depth:
                parts.append('<li class="bare">')
        content, notes = self._content(para)
        parts.append(f"<li{self._para_attrs(para)}>{content}{self._asides(notes)}")
        return "".join(parts)

    def _endnotes(self, notes: dict[str, list[RParagraph]]) -> str:
        """Footnotes as numbered endnotes with back-links, in order of first reference (unreferenced ones last,
        so that no text is lost)."""
        items: list[str] = []
        done: set[str] = set()
        # Each turn takes the first label not done in order of reference (which grows as notes refer to others),
        # else the first unreferenced one: read through once, not searched again each turn (thousands of notes).
        referenced: list[str] = []
        unreferenced = list(notes)
        at = at_unreferenced = 0
        while True:
            grown = len(self.notes) - len(referenced)  # labels only ever join self.notes at its end
            if grown > 0:
                referenced.extend(reversed(list(islice(reversed(self.notes), grown))))
            while at < len(referenced) and referenced[at] in done:
                at += 1
            while at_unreferenced < len(unreferenced) and unreferenced[at_unreferenced] in done:
                at_unreferenced += 1
            if at < len(referenced):
                label = referenced[at]
            elif at_unreferenced < len(unreferenced):
                label = unreferenced[at_unreferenced]
            else:
                break
            done.add(label)
            number = self.notes.setdefault(label, len(self.notes) + 1)
            paras = notes.get(label, [])
            back = "".join(
                f' <a class="backref" href="#fnref-{number}{"" if r == 1 else f"-{r}"}" '
                f'aria-label="Back to the text">\u21a9\ufe0e</a>'
                for r in range(1, self.note_refs.get(label, 0) + 1)
            )
            rendered = [self.paragraph(p, tail=back if k == len(paras) - 1 else "") for k, p in enumerate(paras)]
            items.append(f'<li id="fn-{number}">{"".join(rendered) or f"<p>{back}</p>"}</li>')
        if not items:
            return ""
        return (
            '<section class="endnotes" role="doc-endnotes" aria-labelledby="notes-h">'
            f'<h2 id="notes-h">Notes</h2><ol>{"".join(items)}</ol></section>'
        )

    # -- the page --------------------------------------------------------------------------------------------

    def legend(self, ends: tuple[str, str] | None) -> str:
        between = _ends(*ends) if ends is not None else _redline_ends(self.redline)
        rows = []
        tallies = {t.source: t for t in tally(self.redline)}
        language = self.redline.meta.language
        for name, n in self.sources.items():
            found = tallies.get(name)
            if found is None:
                continue
            rows.append(
                f'<li class="s{n}"><span class="swatch" aria-hidden="true"></span>'
                f'<span class="n">{n}</span> <span class="name">{escape(name)}</span> '
                f'<span class="count">{found.counts(language)}; {found.span(language)}</span></li>'
            )
        if not rows:
            return (
                f'<section class="legend" aria-labelledby="legend-h"><h2 id="legend-h">Revision marks</h2>'
                f"{between}<p>No changes.</p></section>"
            )
        return (
            '<section class="legend" aria-labelledby="legend-h"><h2 id="legend-h">Revision marks</h2>'
            f"{between}"
            '<p class="key">Inserted text is <span class="ins-sample">underlined</span>, deleted text is '
            '<span class="del-sample">struck through</span>, both in the colour of their source; moved text is '
            '<span class="ins-sample moved">double-underlined</span> where it moved to and '
            '<span class="del-sample moved">double-struck</span> where it moved from; words formatted anew are '
            '<span class="fmt-sample">dotted</span> underneath. A changed paragraph has a bar in the margin and a '
            "changed paragraph mark shows as ¶. "
            '<span class="screen-only">Point at a change to see who made it and when.</span>'
            '<span class="print-only">The small number after each change names its source below.</span></p>'
            f'<ul class="sources">{"".join(rows)}</ul></section>'
        )

    def toc(self) -> str:
        if not self.headings:
            return ""
        items = []
        for h in self.headings:
            cls = f"toc-{h.level - 1}"
            text = escape(h.text)
            if h.gone is not None:
                cls += f" gone {self._source_class(h.gone.author)}"
                text = f"<s>{text}</s>"
            elif h.new is not None:
                cls += f" new {self._source_class(h.new.author)}"
            items.append(f'<li class="{cls}"><a href="#{h.ident}">{text}</a></li>')
        return f'<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Contents</h2><ul>{"".join(items)}</ul></nav>'

    def page(self, description: str, is_redline: bool, ends: tuple[str, str] | None = None) -> str:
        cover, body, endnotes = self.body()
        meta = self.redline.meta
        lang = language_code(meta.language)
        direction = ' dir="rtl"' if is_rtl(lang) else ""
        title = " – ".join(x for x in (meta.symbol, meta.version or "Working draft", meta.title) if x)
        if is_redline:
            title = f"Revision marks: {title}"
        legend = self.legend(ends) if is_redline else ""
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{escape(lang)}"{direction}>\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n"
            f'<meta name="description" content="{escape(description or title)}">\n'
            '<meta name="generator" content="wtpf">\n'
            f"<style>\n{_css(len(self.sources))}</style>\n</head>\n"
            f"{_BODY_WITH_COMMENTS if self.comments else '<body>'}\n"
            f'<header class="cover">{cover}</header>\n'
            f"{legend}\n{self.toc()}\n<main>\n{body}\n</main>\n{endnotes}\n"
            "</body>\n</html>\n"
        )


_BODY_WITH_COMMENTS = '<body class="with-comments">'  # wide windows keep a column on the right for the notes


def _authors(redline: Redline) -> list[str]:
    """Every author of a revision or comment, in order of appearance."""
    seen: dict[str, None] = {}

    def note(rev: Revision | None) -> None:
        if rev is not None:
            seen.setdefault(rev.author)

    for block in redline.blocks:
        if isinstance(block, RTable):
            for row in block.rows:
                note(row.ins)
                note(row.dele)
                for cell in row.cells:
                    for r in cell:
                        note(r.ins)
                        note(r.dele)
                for held in row.comments:
                    for c in held:
                        seen.setdefault(c.author)
            continue
        note(block.ins)
        note(block.dele)
        for r in block.runs:
            note(r.ins)
            note(r.dele)
        for c in block.comments:
            seen.setdefault(c.author)
    return list(seen)


def _ends(old: str, new: str) -> str:
    return f'<p class="ends">From <b>{escape(old)}</b> to <b>{escape(new)}</b>.</p>'


def _redline_ends(redline: Redline) -> str:
    def end(meta: Meta) -> str:
        parts = [meta.symbol, format_date(meta.date) if meta.date else ""]
        detail = ", ".join(x for x in parts if x)
        name = escape(meta.version or "Working draft")
        return f"<b>{name}</b>" + (f" ({escape(detail)})" if detail else "")

    return f'<p class="ends">From {end(redline.old_meta)} to {end(redline.meta)}.</p>'


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _css(sources: int) -> str:
    per_source = []
    for n, colour in enumerate(source_colours(max(sources, 1)), 1):
        r, g, b = _rgb(colour)
        per_source.append(
            f".s{n}{{--c:{colour};--tint:rgba({r},{g},{b},.09)}}.bar-s{n}{{border-left-color:{colour}!important}}"
        )
    return _CSS + "\n".join(per_source) + "\n"


_CSS = """\
:root{--ink:#1a1a1a;--muted:#5f6368;--rule:#d0d4d9;--c:#444;--tint:rgba(0,0,0,.06)}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
html{background:#fff;color:var(--ink)}
body{font:16px/1.55 Calibri,Carlito,"Segoe UI","Helvetica Neue",Arial,"Liberation Sans",sans-serif;
max-width:46rem;margin:0 auto;padding:2rem 1.5rem 4rem}
h1,h2,h3,h4,h5{line-height:1.25;margin:1.6em 0 .5em}
h2{font-size:1.45rem}h3{font-size:1.2rem}h4{font-size:1.05rem}h5{font-size:1rem;font-style:italic}
a{color:#1a4f8f}
p{margin:.6em 0}
.cover{border-bottom:2px solid var(--ink);padding-bottom:1.2rem;margin-bottom:1.5rem}
.cover .changed{border-left:0;padding-left:0;margin-left:0}
.cover .symbol{text-align:right;font-weight:bold;font-size:1.15rem;margin:0}
.cover .cover-meta{text-align:right;margin:0;color:var(--muted)}
.cover .title{font-size:1.8rem;margin:1.4rem 0 .4rem}
.cover .subtitle{font-size:1.25rem;margin:0;color:var(--muted)}
.legend{border:1px solid var(--rule);border-radius:6px;padding:.2rem 1rem .6rem;margin:1.5rem 0;
background:#fafbfc;font-size:.92rem}
.legend h2{font-size:1.05rem;margin:.6rem 0 .2rem}
.legend .sources{list-style:none;padding:0;margin:.4rem 0;columns:2 16rem}
.legend .sources li{margin:.15rem 0;break-inside:avoid}
.legend .swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;background:var(--c);
vertical-align:-.1em;margin-right:.35em}
.legend .n{font-size:.75em;color:var(--c);font-weight:bold}
.legend .name{color:var(--c);font-weight:bold}
.legend .count{color:var(--muted);display:block;padding-left:2.3em;font-size:.92em}
.ins-sample{text-decoration:underline;color:#1f5fb4}
.del-sample{text-decoration:line-through;color:#b3261e}
.moved{text-decoration-style:double}
.fmt{border-bottom:2px dotted var(--c)}
.fmt-sample{border-bottom:2px dotted #1f5fb4}
.print-only{display:none}
.toc{margin:1.5rem 0 2rem}
.toc h2{font-size:1.2rem}
.toc ul{list-style:none;padding:0;margin:0}
.toc li{margin:.15rem 0}
.toc .toc-2{padding-left:1.5em}.toc .toc-3{padding-left:3em;font-size:.95em}
.toc .toc-4{padding-left:4.5em;font-size:.9em}
.toc a{text-decoration:none}.toc a:hover{text-decoration:underline}
.toc .gone a,.toc .new a{color:var(--c)}.toc .new a{text-decoration:underline}
ins{color:var(--c);background:var(--tint);text-decoration:underline;text-decoration-thickness:1px;
text-underline-offset:2px}
del{color:var(--c);text-decoration:line-through;text-decoration-thickness:.125em;text-decoration-color:var(--c)}
ins ins,del ins,ins del,del del{background:none}
.pmark::before{content:"\\00b6";font-weight:normal}
.pmark{margin-left:.15em}
/* one source: a solid bar in its colour; several: a dotted neutral one */
.changed{border-left:3px dotted #80868b;padding-left:.7rem;margin-left:-.95rem}
[class*=bar-s]{border-left-style:solid}
li.changed{padding-left:.4rem;margin-left:-.4rem}
li.bare{list-style:none}
h2.changed,h3.changed,h4.changed,h5.changed{padding-left:.7rem}
.para-del{opacity:.92}
mark.commented{background:#fff2a8;color:inherit;border-bottom:1px dotted #8a6d00}
.cref{font-size:.72em;font-weight:bold;margin-left:.1em}
.cref a{text-decoration:none;color:#8a6d00}
aside.comments{margin:.2rem 0 .8rem;font-size:.88rem}
.comment{border-left:3px solid #e0b400;background:#fffbea;padding:.2rem .7rem;margin:.3rem 0}
.comment p{margin:.2rem 0}
.comment .who{color:var(--c);font-weight:bold}
.comment time{color:var(--muted)}
.comment .backref{font-weight:bold;color:#8a6d00;text-decoration:none}
.table-wrap{overflow-x:auto;margin:.8rem 0}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid var(--rule);padding:.3rem .5rem;vertical-align:top}
thead th{background:#eef1f4;text-align:left}
.align-right{text-align:right}.align-center{text-align:center}.align-left{text-align:left}
tr.row-ins>*{background:var(--tint)}tr.row-del>*{background:#f4f4f4}
tr.row-ins>:first-child,tr.row-del>:first-child{box-shadow:inset 3px 0 0 var(--c)}
blockquote{margin:.8rem 0;padding-left:1rem;border-left:3px solid var(--rule);color:#333}
pre{background:#f5f6f7;padding:.6rem .8rem;overflow-x:auto;font-size:.88rem}
code{font-family:"DejaVu Sans Mono",Consolas,"Liberation Mono",monospace;font-size:.92em}
.fnref{font-size:.75em;line-height:0}
.fnref a{text-decoration:none;padding:0 .1em}
.endnotes{border-top:1px solid var(--rule);margin-top:2.5rem;font-size:.92rem}
.endnotes h2{font-size:1.1rem}
.backref{text-decoration:none}
.with-notes{display:flex;flex-direction:column}
.with-notes>aside.comments{order:2}
@media (min-width:78rem){
body.with-comments{padding-right:19rem}
.with-notes{display:block}
aside.comments{float:right;clear:right;width:16rem;margin:0 -18rem .5rem 0;font-size:.82rem}
}
@media print{
@page{size:A4;margin:18mm 16mm}
body{max-width:none;margin:0;padding:0;font-size:10.5pt}
.screen-only{display:none}
.print-only{display:inline}
.legend{break-inside:avoid;background:none}
.toc{break-after:page}
h2,h3,h4,h5{break-after:avoid}
tr,li,.comment{break-inside:avoid}
p:has(+.table-wrap){break-after:avoid}
.table-wrap{overflow:visible}
aside.comments{float:none;width:auto;margin:.2rem 0 .6rem}
.with-notes{display:flex}
.changed,li.changed,h2.changed,h3.changed,h4.changed,h5.changed{margin-left:0;padding-left:.5rem}
ins::after,del:not(.pmark)::after{content:attr(data-n);font-size:.6em;vertical-align:super;
text-decoration:none;display:inline-block;margin-left:.05em}
ins ins::after,del ins::after{content:none}
.cover ins::after,.cover del::after{content:none}
a{color:inherit}
main a[href^="http"]::after{content:" <" attr(href) ">";font-size:.85em;color:var(--muted);word-break:break-all}
}
"""


def render_html(
    redline: Redline, *, description: str = "", is_redline: bool = True, ends: tuple[str, str] | None = None
) -> bytes:
    """The page of a redline (legend of sources; `ends` names the two versions compared) or, with
    is_redline=False, of a clean document."""
    return HtmlRenderer(redline).page(description, is_redline, ends).encode("utf-8")
