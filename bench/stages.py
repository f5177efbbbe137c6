"""Where the time of `wtpf redline` and `wtpf build` goes, stage by stage, in one process (no profiler overhead).

    python bench/stages.py WORKSPACE [--repeat 3] [--profile out.prof]

Run inside (or pointing at) a synthetic workspace from synth.py. Prints the import time of the modules the two
commands load, then the median of each stage: reading and parsing FROM, the other versions, attribution, freezing,
rendering the .docx; and the same for a clean build of the working draft. `--profile` writes a cProfile of one
redline (all stages) for `python -m pstats` or snakeviz.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FROM_VERSION = "First Draft"
TO_VERSION = "Preliminary Second Draft"


CLOCK = time.perf_counter


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = CLOCK()
    out = fn()
    return CLOCK() - t0, out


def redline_stages(ws: Any) -> dict[str, float]:
    """One redline, split into the stages of redline.make_redline and outputs.redline_docx."""
    from wtpf_cli.attribution.attributor import Attributor
    from wtpf_cli.attribution.draft_reader import DraftReader
    from wtpf_cli.diff._diff_main import forget_small_diffs
    from wtpf_cli.diff._windowed import forget_middles
    from wtpf_cli.model import Revision
    from wtpf_cli.render.documents import docx_bytes
    from wtpf_cli.store.versions import list_versions, resolve_version

    forget_small_diffs()  # each run as cold as one command
    forget_middles()
    st: dict[str, float] = {}
    t, versions = _timed(lambda: list_versions(ws))
    old = resolve_version(ws, FROM_VERSION, versions)
    new = resolve_version(ws, TO_VERSION, versions)
    old_sha, new_sha = old.sha, new.sha
    assert old_sha is not None and new_sha is not None
    t2, chain = _timed(lambda: ws.history.commits_touching(old_sha, new_sha, ws.draft_repo_path))
    st["versions + log"] = t + t2
    reader = DraftReader(ws)
    st["read FROM"], first = _timed(lambda: reader.at(old_sha))
    t_read = t_att = 0.0
    att = Attributor(first)
    for c in chain:
        t0 = CLOCK()
        doc, changed = reader.changes_at(c.sha)
        t_read += CLOCK() - t0
        rev = Revision(ws.source_of(c.author), c.date)
        t0 = CLOCK()
        att.apply(doc, rev, changed)
        t_att += CLOCK() - t0
    st["read other versions"] = t_read
    st["attribute"] = t_att
    st["freeze"], red = _timed(lambda: att.redline())
    st["render docx"], data = _timed(lambda: docx_bytes(ws, red, "x"))
    st["total (in process)"] = sum(st.values())
    st["output bytes"] = len(data)
    return st


def build_stages(ws: Any) -> dict[str, float]:
    from wtpf_cli.attribution.draft_reader import load_version
    from wtpf_cli.attribution.freeze import unchanged
    from wtpf_cli.render.documents import docx_bytes

    st: dict[str, float] = {}
    st["read + parse"], (_, doc) = _timed(lambda: load_version(ws, None))
    st["unchanged"], red = _timed(lambda: unchanged(doc))
    st["render docx"], data = _timed(lambda: docx_bytes(ws, red, ""))
    st["total (in process)"] = sum(st.values())
    st["output bytes"] = len(data)
    return st


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workspace", type=Path)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--profile", type=Path, help="write a cProfile of one redline here")
    p.add_argument(
        "--cpu", action="store_true", help="CPU time of this process (steadier on a busy machine; git not counted)"
    )
    p.add_argument("--min", action="store_true", help="the fastest of the runs (the least disturbed by other work)")
    args = p.parse_args(argv)
    if args.cpu:
        global CLOCK
        CLOCK = time.process_time
    t0 = time.perf_counter()
    from wtpf_cli.store.workspace import open_workspace

    print(f"imports of the core modules: {time.perf_counter() - t0:.3f} s")
    ws = open_workspace(args.workspace)
    if args.profile:
        import cProfile

        cProfile.runctx("redline_stages(ws)", globals(), {"ws": ws, "redline_stages": redline_stages}, args.profile)
        print(f"wrote {args.profile}")
        return 0
    from wtpf_cli._collector import collector_paused

    for name, fn in (("redline", redline_stages), ("build", build_stages)):
        with collector_paused():  # as the commands run them
            runs = [fn(ws) for _ in range(args.repeat)]
        pick = min if args.min else statistics.median
        print(f"\n{name} ({'minimum' if args.min else 'median'} of {args.repeat}):")
        for key in runs[0]:
            med = pick(r[key] for r in runs)
            print(f"  {key:24} {med:10.3f}" if key != "output bytes" else f"  {key:24} {int(med):10d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
