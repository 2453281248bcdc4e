"""Work done by a second process alongside a build (kpi_xl.alongside): its result, or the
same result done in place wherever a second process is not safe or fails."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kpi_xl.alongside import ONE_PROCESS, Alongside, Standby, can_fork

linux_only = pytest.mark.skipif(sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
                                reason="a second process is forked only on Linux, with two cores or more")


def whose(tag: str) -> tuple[str, int]:
    return tag, os.getpid()


def noted(log: Path, fail_in_child_of: int | None = None) -> int:
    """Note the process doing the work in ``log``; fail if it is a child of ``fail_in_child_of``."""
    with log.open("a") as out:
        out.write(f"{os.getpid()}\n")
    if fail_in_child_of is not None and os.getpid() != fail_in_child_of:
        raise ValueError("the child's work failed")
    return 7


@linux_only
def test_the_work_is_done_by_a_second_process_and_its_result_handed_back(monkeypatch):
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    assert can_fork()
    second = Alongside(whose, "figures")
    assert second.forked
    tag, pid = second.result()
    assert tag == "figures" and pid != os.getpid()


def niceness() -> tuple[int, int]:
    return os.getpid(), os.nice(0)


@linux_only
def test_work_wanted_later_yields_to_the_rest_and_this_process_keeps_its_priority(monkeypatch):
    """A ``later`` child runs less urgently (so a third process on two cores takes what the
    other two leave); the parent, and work done in place, are as urgent as ever."""
    from kpi_xl.alongside import LATER_NICENESS

    monkeypatch.delenv(ONE_PROCESS, raising=False)
    here = os.nice(0)
    pid, child = Alongside(niceness, later=True).result()
    assert pid != os.getpid() and child == min(here + LATER_NICENESS, 19)
    assert Alongside(niceness).result()[1] == here  # an ordinary child: as urgent as this process
    assert os.nice(0) == here
    monkeypatch.setenv(ONE_PROCESS, "1")
    assert Alongside(niceness, later=True).result() == (os.getpid(), here)


def test_with_one_process_asked_for_the_work_is_done_in_place(monkeypatch):
    monkeypatch.setenv(ONE_PROCESS, "1")
    second = Alongside(whose, "figures")
    assert not second.forked
    assert second.result() == ("figures", os.getpid())


@linux_only
def test_with_another_thread_running_nothing_is_forked(monkeypatch):
    """xlwings Server and the ribbon run builds beside other threads: a lock one of them
    held would be copied, held, into a forked child."""
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
        assert Alongside(whose, "figures").result() == ("figures", os.getpid())
    finally:
        stop.set()
        other.join()


@linux_only
def test_work_that_fails_in_the_child_is_done_again_here_and_raises_here(tmp_path, monkeypatch):
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    log = tmp_path / "who.txt"
    second = Alongside(noted, log, os.getpid())  # fails in the child only
    assert second.result() == 7  # redone here, where it succeeds
    child, parent = log.read_text().split()
    assert int(parent) == os.getpid() and int(child) != os.getpid()

    log.unlink()
    with pytest.raises(ValueError, match="failed"):
        Alongside(noted, log, -1).result()  # fails everywhere: the parent's own error is raised
    assert len(log.read_text().split()) == 2


def killed_child() -> int:
    os.kill(os.getpid(), 9)
    return 0


@linux_only
def test_a_child_killed_midway_loses_nothing(monkeypatch):
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    calls = []

    def work():
        calls.append(os.getpid())
        if len(calls) == 1 and os.getpid() != parent:
            killed_child()
        return "done"

    parent = os.getpid()
    second = Alongside(work)
    assert second.forked
    assert second.result() == "done"  # the child died without a word; the work was done here
    assert calls == [parent]


@linux_only
def test_cancel_stops_the_child_at_once(monkeypatch):
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    started = time.perf_counter()
    with Alongside(time.sleep, 60) as second:
        pid = second.pid
    assert time.perf_counter() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


@linux_only
def test_the_child_prints_nothing_twice_and_runs_none_of_the_parents_clean_up(tmp_path):
    """Text printed but not yet flushed, and the parent's exit handlers (its temporary files,
    its run lock), are the parent's alone."""
    script = (
        "import atexit, os\n"
        "from kpi_xl.alongside import Alongside\n"
        "atexit.register(lambda: print('cleaned up', flush=True))\n"
        "print('started', end='')\n"
        "second = Alongside(os.getpid)\n"
        "assert second.forked and second.result() != os.getpid()\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in (ONE_PROCESS, "PYTHONUNBUFFERED")}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert run.stdout == "startedcleaned up\n"


# -- a second process forked early, given its input later (Standby) -----------------------------

def doubled(given: list[int]) -> list[int]:
    return [n * 2 for n in given] + [os.getpid()]


@linux_only
def test_a_standby_forked_early_does_its_work_once_given_its_input(monkeypatch):
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    with Standby(doubled) as standby:
        assert standby.forked
        made_later = (n for n in range(5))  # made as they are handed over, after it was forked
        standby.give(made_later)
        *twice, pid = standby.result()
    assert twice == [0, 2, 4, 6, 8] and pid != os.getpid()


def test_a_standby_with_one_process_does_its_work_in_place(monkeypatch):
    monkeypatch.setenv(ONE_PROCESS, "1")
    standby = Standby(doubled)
    assert not standby.forked
    standby.give([3])
    assert standby.result() == [6, os.getpid()]


@linux_only
def test_a_standby_never_given_its_input_is_stopped_and_leaves_nothing(monkeypatch):
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    with Standby(doubled) as standby:
        pid = standby.pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped
    assert standby.go == -1 and standby.given_file == -1  # its pipe and memory file closed


@linux_only
def test_a_standby_whose_parent_dies_ends_by_itself(tmp_path):
    """Killed before it gave the input (a scheduler's timeout), the parent leaves no process waiting forever."""
    script = (
        "import os\n"
        "from kpi_xl.alongside import Standby\n"
        "standby = Standby(sorted)\n"
        "print(standby.pid, flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != ONE_PROCESS}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    child = int(run.stdout.split()[0])
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the standby {child} is still waiting for a parent that has gone")


@linux_only
def test_a_standby_that_fails_has_its_work_done_here(monkeypatch):
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    parent = os.getpid()

    def only_here(given):
        if os.getpid() != parent:
            raise RuntimeError("failed in the second process")
        return list(given)

    with Standby(only_here) as standby:
        standby.give(["figures", "targets"])
        assert standby.result() == ["figures", "targets"]  # the items handed over again, here
