"""The service's test modules share test_pledgerd.py's helpers (other
modules import them); its OpenAPI coverage check, which counts the
answers of every module, runs after all of them whatever the order of
the files."""
from __future__ import annotations

import os

import pytest

# The files the tests write (configurations, accounts files) are their
# owner's to write whatever umask the suite was started with: pledgerd
# refuses one its group or anyone may write.
os.umask(0o022)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    last = [i for i in items if i.name == "test_openapi_covers_what_was_answered"]
    items[:] = [i for i in items if i not in last] + last
