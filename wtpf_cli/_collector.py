"""Speed only: the cyclic garbage collector paused while a redline, a build or a merge makes its many objects.

`with collector_paused(): f()` must give what `f()` gives: the collector only frees objects in reference cycles, and
reference counting still frees the rest. No test runs both; the golden cases (tests/test_golden.py) pin the bytes
made with the collector paused, and tests/test_reader.py checks that a Word file read leaves no cycle behind.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: parsing, attribution and rendering make hundreds of thousands of
    small objects that live on and hold no cycles, and every few hundred of them the collector would walk the
    younger ones again. Reference counting still frees what is dropped."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
