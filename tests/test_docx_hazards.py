"""An untrusted .docx that would run macros or fetch from outside when opened in Word: `inspect` and
`contribution add` warn of each thing, nothing is fetched, and nothing of the macros reaches a file wtpf writes -
through the real command line, on files of the hostile catalogue (tests/support/hostile.py)."""

from __future__ import annotations

import socket
import threading
import zipfile
from pathlib import Path

from support import hostile
from support.cli import stamped_report, wtpf

BODY = "# 1 Introduction\n\nThe Forum welcomes the report.\n"


def workspace(tmp_path: Path) -> Path:
    return stamped_report(tmp_path, BODY)


def test_a_macro_enabled_file_named_docx_is_warned_of_and_no_macro_reaches_an_output(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    macro = hostile.make_macro_enabled(tmp_path)
    warning = (
        "warning: the file holds macros (word/vbaProject.bin), as a macro-enabled document (.docm) would: they are "
        "never run, and nothing of them is kept in what wtpf writes"
    )
    assert wtpf("inspect", str(macro), cwd=root).err.splitlines() == [warning]
    added = wtpf("contribution", "add", str(macro), "--source", "Brazil", "--received", "2012-05-01", cwd=root)
    assert added.err.splitlines()[0] == warning
    wtpf("merge", cwd=root)
    wtpf("build", "-o", "clean.docx", cwd=root)
    wtpf("redline", "First Draft", "-o", "redline.docx", cwd=root)
    for output in ("clean.docx", "redline.docx"):
        with zipfile.ZipFile(root / output) as built:
            names = built.namelist()
            types = built.read("[Content_Types].xml").decode()
        assert not [n for n in names if "vba" in n.lower() or "activex" in n.lower()], names
        assert "macroEnabled" not in types and "vbaProject" not in types


def test_a_plain_docx_gives_no_such_warning(tmp_path: Path) -> None:
    assert wtpf("inspect", str(hostile.make_valid(tmp_path)), cwd=tmp_path).err == ""


def test_outside_links_and_include_fields_are_listed_as_warnings_and_nothing_is_fetched(tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    connections: list[object] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                connections.append(listener.accept())
            except TimeoutError:
                continue

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        linked = hostile.make_outside_links(tmp_path, url)
        err = wtpf("inspect", str(linked), cwd=tmp_path).err.splitlines()
        root = workspace(tmp_path)
        added = wtpf("contribution", "add", str(linked), "--source", "Brazil", "--received", "2012-05-01", cwd=root)
    finally:
        stop.set()
        watcher.join()
        listener.close()
    assert err == [
        "warning: word/document.xml links to a network share by a hyperlink outside the file: "
        "\\\\evil-server\\share\\x.docx (a UNC path: Windows would send the user's credentials to that server); "
        "not fetched",
        f"warning: word/document.xml links to a linked object outside the file: {url}object.xlsx; not fetched",
        f"warning: word/document.xml links to a linked picture outside the file: {url}picture.png; not fetched",
        f"warning: word/document.xml links to a frame outside the file: {url}frame.html; not fetched",
        f"warning: word/settings.xml links to an attached template outside the file: {url}template.dotm; not fetched",
        f'warning: word/document.xml has a field that reads from outside the file: INCLUDETEXT "{url}text.docx"; '
        "not fetched or updated",
        f'warning: word/document.xml has a field that reads from outside the file: INCLUDEPICTURE "{url}p.png"; '
        "not fetched or updated",
    ]
    assert added.err.splitlines()[: len(err)] == err
    assert "https://www.itu.int/" not in "\n".join(err)  # an ordinary hyperlink is no hazard
    assert connections == []
