"""The delegate corpus: every kind of edit in each place of its container, tracked and not, and a few files that
mix edits or come from two delegates (``make.py`` writes each case out as ``tests/delegates/<case>/``).

A case is one or more delegates' files made from the build of ``base.md``, and what report.md must hold after a
right merge, written as exact text substitutions of ``base.md`` (each ``old`` occurs exactly once; written by
hand from the operation, never by wtpf). ``File.alone`` is what that one file says on its own (its Accept All,
checked through pandoc); ``Case.expected`` is the merged draft when it is more than every file's ``alone``.
"""

from __future__ import annotations

from delegates.corpus import (
    AUTHOR,
    B3,
    HEADING_NOTE,
    N3,
    NEW_ROW,
    NOTE2,
    P11,
    P12,
    P13,
    P31,
    SOURCE,
    TABLE,
    Case,
    File,
    after,
    becomes,
    dropped,
    item_after,
    single,
    table,
)
from delegates.kinds_blocks import KINDS_BLOCKS
from delegates.kinds_objects import KINDS_OBJECTS

from support import delegates as d

KINDS = KINDS_BLOCKS + KINDS_OBJECTS
BRAZIL, US = ("Brazil", "Delegate of Brazil"), ("United States", "Delegate of the United States")
SECOND_DATE = "2012-05-11T09:00:00"
CONFLICT_NOTE = (
    "the bracket form is the merge's (README, 'Conflicts are bracketed, never blended'): [[Source: text]] for each "
    "proposal, the current text first under who last changed it, over the words from the first to the last that "
    "either changed in the sentence; a deletion is (delete)"
)

MIXED = [
    Case(
        "mixed-structure-tracked",
        "mixed",
        "several",
        "One delegate: a paragraph, a bullet, a row, a footnote, bold words and a heading level, tracked.",
        [
            File(
                SOURCE,
                AUTHOR,
                [
                    d.insert_paragraph("1.1bis. A new paragraph.", after="1.1. The Forum"),
                    d.insert_list_item("Multilingualism.", after="Capacity building"),
                    d.insert_row(after="RIPE", cells=["LACNIC", "exhausted", "2020"]),
                    d.insert_footnote("the next session", "To be confirmed."),
                    d.set_format("remains slow", bold=True),
                    d.set_heading_level("2.5 Further work", 1),
                ],
                True,
                [
                    after(P11, "1.1bis. A new paragraph."),
                    item_after(B3, "- Multilingualism."),
                    table([*TABLE[:3], ["LACNIC", "exhausted", "2020"], TABLE[3]]),
                    becomes("the next session.", "the next session[^new]."),
                    becomes(NOTE2 + "\n", NOTE2 + "\n\n[^new]: To be confirmed.\n"),
                    becomes("remains slow", "**remains slow**"),
                    becomes("## 2.5 Further work", "# 2.5 Further work"),
                ],
            )
        ],
    ),
    Case(
        "mixed-words-and-comments-tracked",
        "mixed",
        "several",
        "One delegate: words replaced in three paragraphs and a cell, with two comments, tracked.",
        [
            File(
                SOURCE,
                AUTHOR,
                [
                    d.replace("will discuss", "shall discuss"),
                    d.replace("remains slow", "remains very slow"),
                    d.replace("waiting", "allocating"),
                    d.delete_text(" for the next session"),
                    d.comment("shall discuss", "Stronger wording."),
                    d.comment("APNIC", "Source?"),
                ],
                True,
                [
                    becomes("will discuss", "shall discuss"),
                    becomes("remains slow", "remains very slow"),
                    becomes("| waiting |", "| allocating |"),
                    becomes(" for the next session", ""),
                ],
            )
        ],
    ),
    Case(
        "mixed-structure-untracked",
        "mixed",
        "several",
        "One delegate, Track Changes off: a heading, a numbered item, a row deleted, a footnote deleted, a move.",
        [
            File(
                SOURCE,
                AUTHOR,
                [
                    d.insert_heading("1.4 Scope", 2, after="1.3. This paragraph"),
                    d.insert_list_item("Publish the report.", after="Adopt the report."),
                    d.delete_row("APNIC"),
                    d.delete_footnote("April 2012"),
                    d.move_paragraph("1.1. The Forum", after="1.2. IPv6"),
                ],
                False,
                [
                    after(P13, "## 1.4 Scope"),
                    item_after(N3, "4. Publish the report."),
                    table(TABLE[:3]),
                    becomes("only.[^2]", "only."),
                    becomes("\n\n" + NOTE2, ""),
                    dropped(P11),
                    after(P12, P11),
                ],
            )
        ],
    ),
]

PAIRS = [
    Case(
        "two-delegates-same-words",
        "two-delegates",
        "overlapping",
        "Two delegates reword the same words of 1.2 differently, each tracked, from the same build.",
        [
            File(
                *BRAZIL,
                [d.replace("remains slow", "remains very slow")],
                True,
                [becomes("remains slow", "remains very slow")],
            ),
            File(
                *US,
                [d.replace("remains slow", "is progressing")],
                True,
                [becomes("remains slow", "is progressing")],
                date=SECOND_DATE,
                received=SECOND_DATE[:10],
            ),
        ],
        expected=[becomes("remains slow", "[[Brazil: remains very slow]] [[United States: is progressing]]")],
        note=CONFLICT_NOTE,
    ),
    Case(
        "two-delegates-same-sentence",
        "two-delegates",
        "overlapping",
        "Two delegates change different words of the same sentence of 1.1, each tracked.",
        [
            File(
                *BRAZIL, [d.replace("will discuss", "shall discuss")], True, [becomes("will discuss", "shall discuss")]
            ),
            File(
                *US,
                [d.replace("raised in", "set out in")],
                True,
                [becomes("raised in", "set out in")],
                date=SECOND_DATE,
                received=SECOND_DATE[:10],
            ),
        ],
        expected=[
            becomes(
                "will discuss **the issues** raised",
                "[[Brazil: shall discuss **the issues** raised]] "
                "[[United States: will discuss **the issues** set out]]",
            )
        ],
        note=CONFLICT_NOTE,
    ),
    Case(
        "two-delegates-same-place",
        "two-delegates",
        "overlapping",
        "Two delegates each add a row after RIPE, one tracked, one not.",
        [
            File(
                *BRAZIL,
                [d.insert_row(after="RIPE", cells=["LACNIC", "exhausted", "2020"])],
                True,
                [table([*TABLE[:3], ["LACNIC", "exhausted", "2020"], TABLE[3]])],
            ),
            File(
                *US,
                [d.insert_row(after="RIPE", cells=["AFRINIC", "available", "2025"])],
                False,
                [table([*TABLE[:3], NEW_ROW, TABLE[3]])],
                date=SECOND_DATE,
                received=SECOND_DATE[:10],
            ),
        ],
        expected=[table([*TABLE[:3], ["LACNIC", "exhausted", "2020"], NEW_ROW, TABLE[3]])],
        note="two new rows at one place are not a conflict: both are kept, in order of receipt",
    ),
    Case(
        "two-delegates-edit-and-delete",
        "two-delegates",
        "overlapping",
        "One delegate edits 1.3 while the other deletes it, both tracked.",
        [
            File(
                *BRAZIL,
                [d.replace("closes the introduction", "ends the introduction")],
                True,
                [becomes("closes the introduction", "ends the introduction")],
            ),
            File(
                *US,
                [d.delete_paragraph("1.3. This paragraph")],
                True,
                [dropped(P13)],
                date=SECOND_DATE,
                received=SECOND_DATE[:10],
            ),
        ],
        expected=[becomes(P13, "[[Brazil: 1.3. This paragraph ends the introduction.]] [[United States: (delete)]]")],
        note=CONFLICT_NOTE + "; " + HEADING_NOTE + " (in the United States' file)",
        pandoc_accept=False,
        rejects_to_base=False,
    ),
    Case(
        "two-delegates-apart",
        "two-delegates",
        "apart",
        "Two delegates edit different sections, one tracked, one not: both edits apply.",
        [
            File(
                *BRAZIL,
                [d.insert_list_item("Multilingualism.", after="Capacity building")],
                True,
                [item_after(B3, "- Multilingualism.")],
            ),
            File(
                *US,
                [d.replace("2019", "2018"), d.insert_footnote("adopts this report", "By consensus.")],
                False,
                [
                    becomes("2019 |", "2018 |"),
                    becomes(P31, "3.1. The Forum adopts this report[^new]."),
                    becomes(NOTE2 + "\n", NOTE2 + "\n\n[^new]: By consensus.\n"),
                ],
                date=SECOND_DATE,
                received=SECOND_DATE[:10],
            ),
        ],
    ),
]


CASES = [single(kind, tracking) for kind in KINDS for tracking in (True, False)] + MIXED + PAIRS
