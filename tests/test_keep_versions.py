"""--keep N keeps history, not copies: unchanged runs never push real earlier versions out."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kpi_xl.run.safety import atomic_write, keep_version, versions

OLD = b"PK last month's scorecard " * 50
A = b"PK a new scorecard " * 50
B = b"PK the scorecard after a restatement " * 50


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "Scorecard.xlsx"
    path.write_bytes(OLD)
    return path


def run(target: Path, content: bytes, day: int, keep: int) -> None:
    """One scheduled run that writes ``content``; each run on its own day."""
    stamp = 1.7e9 + day * 86400
    os.utime(target, (stamp, stamp))
    atomic_write(target, lambda tmp: tmp.write_bytes(content), keep=keep)


def test_unchanged_runs_keep_no_version(target):
    run(target, A, 0, keep=3)
    run(target, B, 1, keep=3)
    for day in range(2, 8):  # a week of runs with nothing new
        run(target, B, day, keep=3)
    assert target.read_bytes() == B
    assert [p.read_bytes() for p in versions(target)] == [OLD, A]  # the real history is still there


def test_a_target_already_kept_is_not_kept_twice(target):
    run(target, A, 0, keep=5)
    assert [p.read_bytes() for p in versions(target)] == [OLD]
    target.write_bytes(OLD)  # someone put last month's file back by hand
    run(target, B, 1, keep=5)
    assert [p.read_bytes() for p in versions(target)] == [OLD]
    assert target.read_bytes() == B


def test_keep_version_says_when_nothing_needed_keeping(target, tmp_path):
    same = tmp_path / "new.xlsx"
    same.write_bytes(OLD)
    assert keep_version(target, 3, new=same) is None
    assert versions(target) == []
    copy = keep_version(target, 3)
    assert copy is not None and copy.read_bytes() == OLD
    assert keep_version(target, 3) == copy and len(versions(target)) == 1
