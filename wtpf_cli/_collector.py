"""Speed only: the cyclic garbage collector paused while a redline or a build makes its many objects.

`with collector_paused(): f()` must give what `f()` gives (the collector frees no object these stages keep or drop:
they make no cycles); every golden case's bytes are checked with the collector paused (tests/test_golden.py), and
tests/test_invariants.py and tests/test_property.py compare redlines made through the same stages.
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
