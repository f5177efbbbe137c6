"""Shared fixtures. Append new fixtures below; keep each one self-contained."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.libreoffice import LibreOffice, libreoffice_unavailable_reason

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "docx"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "libreoffice: the test reads documents with LibreOffice (headless)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:  # `-m "not libreoffice"` leaves out every test that uses the fixture
        if "libreoffice" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.libreoffice)


def skip_or_fail(reason: str) -> None:
    """Skip the test, or fail it when CI demands LibreOffice (WTPF_REQUIRE_LIBREOFFICE=1)."""
    if os.environ.get("WTPF_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(f"{reason} (and WTPF_REQUIRE_LIBREOFFICE=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def libreoffice() -> Iterator[LibreOffice]:
    """One headless LibreOffice for the whole session: ``libreoffice.read(path, "accept")``."""
    reason = libreoffice_unavailable_reason()
    if reason is not None:
        skip_or_fail(reason)
    office = LibreOffice()
    try:
        yield office
    finally:
        office.close()


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The public .docx corpus at ../shared/corpus/docx (skips when it is absent)."""
    if not (CORPUS / "oracle.json").is_file():
        pytest.skip(f"the shared corpus is absent: no {CORPUS}/oracle.json")
    return CORPUS
