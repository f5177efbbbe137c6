"""Write the delegate corpus: each case of ``cases.py`` as ``tests/delegates/<case>/``, made with LibreOffice.

    python tests/delegates/make.py                 # every case, into tests/delegates/ (stale case folders go)
    python tests/delegates/make.py --out DIR row-insert-middle-tracked ...

``base.md`` is made a workspace and built with the installed wtpf (``support.delegates.build_base``: stamped
First Draft, WTPF-IEG/1/1, 2012-04-13); each delegate's file is that build edited in LibreOffice
(``LibreOffice.apply``: as the delegate, Track Changes on or off, dated), saved as ``delegate.docx`` (or
``delegate-1.docx``, ``delegate-2.docx``... in order of receipt). Beside it ``case.toml`` says who did what and
``expected.md`` holds report.md's body after a right merge (``base.md`` with the case's substitutions). The
files are committed so the suite runs without LibreOffice; ``test_delegate_corpus.py`` remakes them and compares
what they hold. Needs LibreOffice (soffice, and python3-uno under /usr/bin/python3).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the tests folder: ``support`` and ``delegates``

import tomlkit  # noqa: E402
from delegates.cases import CASES  # noqa: E402
from delegates.corpus import Case, Sub  # noqa: E402

from support.delegates import BASE_MD, DelegateFile, build_base  # noqa: E402
from support.libreoffice import LibreOffice  # noqa: E402

HEADER = "written by tests/delegates/make.py from tests/delegates/cases.py: change those, then run it"


def file_names(case: Case) -> list[str]:
    """The delegates' files of ``case``, in order of receipt."""
    if len(case.files) == 1:
        return ["delegate.docx"]
    return [f"delegate-{n}.docx" for n in range(1, len(case.files) + 1)]


def substituted(text: str, substitutions: list[Sub], what: str) -> str:
    """``text`` with each ``(old, new)`` applied in turn; each ``old`` must occur exactly once."""
    for old, new in substitutions:
        count = text.count(old)
        if count != 1:
            raise ValueError(f"{what}: {old!r} occurs {count} times, not once")
        text = text.replace(old, new)
    return text


def expected_markdown(case: Case) -> str:
    return substituted(BASE_MD.read_text(encoding="utf-8"), case.substitutions(), case.name)


def case_toml(case: Case) -> str:
    document = tomlkit.document()
    document.add(tomlkit.comment(HEADER))
    for key in ("name", "kind", "position", "description", "note"):
        document[key] = getattr(case, key)
    document["pandoc_accept"] = case.pandoc_accept
    document["rejects_to_base"] = case.rejects_to_base
    files = tomlkit.aot()
    for name, delegate in zip(file_names(case), case.files, strict=True):
        table = tomlkit.table()
        table["file"] = name
        table["source"] = delegate.source
        table["author"] = delegate.author
        table["tracking"] = delegate.tracking
        table["date"] = delegate.date
        table["received"] = delegate.received
        ops = tomlkit.array()
        ops.multiline(True)
        for op in delegate.ops:
            inline = tomlkit.inline_table()
            inline.update(op)
            ops.append(inline)
        table["ops"] = ops
        files.append(table)
    document["files"] = files
    return tomlkit.dumps(document)


def write_case(case: Case, libreoffice: LibreOffice, base_docx: Path, folder: Path) -> None:
    """``folder`` made to hold ``case``: its delegates' files, case.toml and expected.md."""
    expected = expected_markdown(case)
    folder.mkdir(parents=True, exist_ok=True)
    for name, delegate in zip(file_names(case), case.files, strict=True):
        DelegateFile(delegate.author, delegate.ops, delegate.tracking, delegate.date).make(
            libreoffice, base_docx, folder / name
        )
    (folder / "case.toml").write_text(case_toml(case), encoding="utf-8")
    (folder / "expected.md").write_text(expected, encoding="utf-8")


def make(out: Path, names: list[str], libreoffice: LibreOffice) -> list[Case]:
    """Write the cases named (all when none) into ``out``; returns them."""
    chosen = [case for case in CASES if not names or case.name in names]
    unknown = sorted(set(names) - {case.name for case in CASES})
    if unknown:
        raise SystemExit(f"no such case: {', '.join(unknown)}")
    with tempfile.TemporaryDirectory(prefix="wtpf-delegates-") as scratch:
        _, base_docx = build_base(Path(scratch))
        for case in chosen:
            write_case(case, libreoffice, base_docx, out / case.name)
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case names (default: every case)")
    parser.add_argument("--out", type=Path, default=HERE, help="where the case folders go (default: %(default)s)")
    args = parser.parse_args()
    with LibreOffice() as libreoffice:
        made = make(args.out, args.cases, libreoffice)
    if not args.cases:  # a full run: case folders no case names any more go
        names = {case.name for case in made}
        for folder in args.out.iterdir():
            if (folder / "case.toml").is_file() and folder.name not in names:
                shutil.rmtree(folder)
    print(f"wrote {len(made)} case(s) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
