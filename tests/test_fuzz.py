"""The .docx reader under fuzzing: zip-aware mutations of the corpus and of our own outputs, for a bounded time
(``WTPF_FUZZ_SECONDS``, default 20; CI sets more). Any exception other than InputRejected is a bug; the failure
message gives the seed and mutation to replay with ``python tests/fuzz_docx.py --replay``."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from fuzz_docx import fuzz


def test_fuzz_docx_reader(tmp_path: Path) -> None:
    seconds = float(os.environ.get("WTPF_FUZZ_SECONDS", "20"))
    seed = int(os.environ.get("WTPF_FUZZ_SEED", str(random.SystemRandom().randrange(1 << 32))))
    report = fuzz(seconds, seed, workdir=tmp_path)
    if report.seeds == 0:
        pytest.skip("no seed files: the corpus is absent and wtpf demo wrote nothing")
    print(f"\n{report.summary()}")
    problems = [
        f"{f.signature} (x{f.count}): {f.exception}\n  replay: seed file {f.source}, case seed {f.case_seed} "
        f"(WTPF_FUZZ_SEED={seed}; python tests/fuzz_docx.py --case '{f.source}:{f.case_seed}')\n"
        f"  mutation: {'; '.join(f.steps)[:400]}\n{f.traceback}"
        for f in report.failures.values()
    ]
    assert report.executions > 0
    assert not problems, "\n\n".join(problems)
