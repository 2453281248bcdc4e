"""Work done by a second process alongside this one: a build's independent steps on two cores.

Some of a build's steps need nothing from each other: last month's scorecard can be read
while the raw workbook is read and rated, and the last charts' parts written while the
sheets and the first charts are. The machines kpi_xl runs on have two cores or more, so
side by side such steps take the time of the longer, not of both.

``Alongside(work, *args)`` forks a child that does ``work(*args)``, hands back what it
returned (pickled, through a file in memory) and ends; ``result()`` waits for it. The child
starts with everything the parent had read or built (nothing is copied to it), writes to
no file the parent has open, and leaves by ``os._exit``, so no clean-up of the parent's
(its temporary files, its run lock) ever runs twice.

The work is done in place instead, when ``result()`` is called, with the same result:
- where forking is not safe: anywhere but Linux (Windows cannot fork; macOS's system
  libraries are not safe to use after a fork), or in a process with other threads running
  (xlwings Server, the ribbon, a batch's workers with their watch on the batch): a lock one
  of them held would be copied, held, into the child;
- where it cannot help: a process allowed only one core;
- when ``KPI_XL_ONE_PROCESS`` is set (to anything): an administrator's choice;
- when the child fails in any way (an error, killed, out of memory): the work is redone
  here, so an error is raised exactly as it would have been, and nothing is ever lost or half done.
"""
from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable, Iterator

ONE_PROCESS = "KPI_XL_ONE_PROCESS"  # set (to anything) to do all the work in one process
#: How much less urgent a ``later`` child is (``os.nice``): where the cores are all busy it gets
#: about a tenth of a core's share, so it yields to the work on the critical path, never starved.
LATER_NICENESS = 10


def can_fork() -> bool:
    """True where a second process may be forked safely (see the module's note)."""
    if sys.platform != "linux" or os.environ.get(ONE_PROCESS) or len(os.sched_getaffinity(0)) < 2:
        return False
    threading = sys.modules.get("threading")  # not imported: no other thread can be running
    return threading is None or threading.active_count() == 1


class Alongside:
    """``work(*args)`` started in a second process; ``result()`` is what it returned.
    ``instead``: what gives the same result here, should it be done in place (default:
    ``work(*args)`` itself), for work that only the child can still do as it was given.
    ``fork=False``: done in place in any case (work too small to be worth a process).
    ``later=True``: work not wanted until after the rest that is under way (a build's
    carried commentary, wanted once the figures are rated), done at a lower priority
    (``LATER_NICENESS``) so that where it is a third process on two cores, it takes what the
    other two leave rather than slowing them."""

    def __init__(self, work: Callable, *args, instead: Callable[[], object] | None = None, fork: bool = True,
                 later: bool = False):
        self.work, self.args, self.instead = work, args, instead
        self.pid: int | None = None
        self.answer = -1  # the memory file the child writes its result into
        if fork and can_fork():
            self.answer = os.memfd_create("kpi_xl-alongside", os.MFD_CLOEXEC)
            for stream in (sys.stdout, sys.stderr):  # else text printed but not yet flushed is printed twice
                stream.flush()
            self.pid = os.fork()
            if self.pid == 0:
                _child(self.answer, work, args, later)  # never returns

    @property
    def forked(self) -> bool:
        """The work is being done by a second process (False: it will be done in place)."""
        return self.pid is not None

    def result(self):
        """What ``work(*args)`` returned: the child's, once it has ended; if there was no
        child or it failed, done here and now."""
        if self.pid is not None:
            try:
                if self._wait() == 0:
                    with open(self.answer, "rb", closefd=False) as answer:
                        answer.seek(0)
                        return pickle.load(answer)
            except Exception:  # noqa: BLE001, S110  (a result that cannot be read back: the work is redone here)
                pass
            finally:
                self._close()
        return self.instead() if self.instead is not None else self.work(*self.args)

    def cancel(self) -> None:
        """The child stopped and its result thrown away (the parent failed meanwhile)."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._wait()
            self._close()

    def __enter__(self) -> Alongside:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()

    def _wait(self) -> int:
        status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        self.pid = None
        return status

    def _close(self) -> None:
        if self.answer >= 0:
            os.close(self.answer)
            self.answer = -1


def _child(answer: int, work: Callable, args: tuple, later: bool = False) -> None:
    """In the child: do the work, write its result, and leave without running any of the
    parent's clean-up (``os._exit``). Exit status 0 only when the whole result is written."""
    status = 1
    try:
        gc.disable()  # short-lived: collecting would only touch (and so copy) the parent's pages
        if later:
            os.nice(LATER_NICENESS)
        result = work(*args)
        with open(answer, "wb", closefd=False) as out:
            pickle.dump(result, out, pickle.HIGHEST_PROTOCOL)
        status = 0
    except BaseException:  # noqa: BLE001  (the parent redoes the work and raises any error itself)
        pass
    finally:
        os._exit(status)


class Standby(Alongside):
    """A second process forked now, while this one is still small, that waits to be given
    the items ``work`` takes (``give``) and then does ``work(items)``; ``result()`` as for
    ``Alongside``, and done in place when there is no second process or it failed.

    Forked later, when this process holds hundreds of megabytes, every page either process
    then wrote to would be copied (a build writing its sheets touches nearly all of them): a
    third more memory at 1,000 indicators. Forked early, the two share only what was loaded
    before. The items go through a memory file one at a time (neither process ever holds
    them all), and the child empties it once read; ``given`` is iterated again should the
    work be done in place, so it may make its items as it goes."""

    def __init__(self, work: Callable):
        self.given: Iterable = ()
        self.go = self.given_file = -1  # the pipe's end this process writes "go" into; the memory file
        if not can_fork():
            super().__init__(work)
            return
        given_file = os.memfd_create("kpi_xl-given", os.MFD_CLOEXEC)
        waiting, self.go = os.pipe()
        super().__init__(_when_given, work, waiting, self.go, given_file)
        self.work, self.given_file = work, given_file
        os.close(waiting)

    def give(self, given: Iterable) -> None:
        """Hand over the items: the child starts on them (or, with no child, keep them for ``result()``)."""
        self.given = given
        if self.pid is not None:
            with open(self.given_file, "wb", closefd=False) as out:
                for item in given:
                    pickle.dump(item, out, pickle.HIGHEST_PROTOCOL)
            os.write(self.go, b"g")
            self._stop_waiting()

    def result(self):
        if self.pid is not None and self.go >= 0:  # never given its input
            self.cancel()
        self.args = (iter(self.given),)
        return super().result()

    def _stop_waiting(self) -> None:
        for fd in (self.go, self.given_file):
            if fd >= 0:
                os.close(fd)
        self.go = self.given_file = -1

    def _close(self) -> None:
        super()._close()
        self._stop_waiting()


def _when_given(work: Callable, waiting: int, go: int, given_file: int):
    """In the standby child: wait for "go" (a closed pipe, the parent gone or done without it:
    end), then do the work on the items as they are read, the memory file let go at its end."""
    os.close(go)  # else the pipe never reads as closed should the parent die
    if os.read(waiting, 1) != b"g":
        raise SystemExit(1)
    with open(given_file, "rb", closefd=False) as source:
        source.seek(0)  # (the file is shared with the parent, and so is its place in it)
        result = work(_items(source))
    os.ftruncate(given_file, 0)
    return result


def _items(source) -> Iterator:
    while True:
        try:
            yield pickle.load(source)
        except EOFError:
            return
