import os
import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(pathlib.Path(__file__).parent))


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    """Conformance cases name directories relative to the repository root."""
    monkeypatch.chdir(REPO)
    yield
