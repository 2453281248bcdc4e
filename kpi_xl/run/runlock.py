"""The run lock: one run at a time regenerates a target (``<target>.kpi-xl.lock``)."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Callable

from ..errors import TargetLocked
from .files import GRACE_SECONDS, LOCK_SUFFIX, STALE_LOCK_SECONDS, _remove, log, write_failure


def lock_path(target: Path) -> Path:
    target = Path(target)
    return target.with_name(target.name + LOCK_SUFFIX)


def this_host() -> str:
    """This computer's name, as ``socket.gethostname()`` gives it. On Linux and macOS that is
    the system's node name (both read it from the same place), so ``socket`` (5 ms to import)
    is imported only on Windows."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket  # noqa: PLC0415

    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this computer. (On Windows ``os.kill(pid, 0)``
    would terminate it, so the process is queried instead.)"""
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes  # noqa: PLC0415

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class RunLock:
    """Refuse to regenerate the same target twice at once.

    ``with RunLock(target):`` creates ``<target>.kpi-xl.lock`` atomically (``O_CREAT |
    O_EXCL``) holding ``{pid, host, started}``. A lock left by a run that died (its
    process is gone on this computer) or older than ``stale_after`` seconds is taken
    over with a warning; any other lock raises ``TargetLocked`` (exit code 4).
    The lock file is removed on exit, unless another run has since taken it over.
    """

    def __init__(self, target: Path, stale_after: float = STALE_LOCK_SECONDS,
                 now: Callable[[], dt.datetime] = dt.datetime.now):
        self.target = Path(target)
        self.path = lock_path(self.target)
        self.stale_after = stale_after
        self._now = now
        self.token = os.urandom(16).hex()  # as random as a uuid4, without importing uuid on every run
        self.held = False
        self.took_over: str | None = None  # what was taken over, for the log

    # the lock file's contents
    def _record(self) -> dict:
        return {"pid": os.getpid(), "host": this_host(),
                "started": self._now().isoformat(timespec="seconds"), "token": self.token,
                "target": str(self.target)}

    def _create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        except OSError as exc:
            raise write_failure(self.target, exc) from exc
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self._record(), handle)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException as exc:
            _remove(self.path)  # never leave an empty lock that blocks the next runs
            if isinstance(exc, OSError):
                raise write_failure(self.target, exc) from exc
            raise
        return True

    def _read(self) -> tuple[dict, str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}, ""
        except OSError:
            return {}, ""
        try:
            data = json.loads(text)
            return (data if isinstance(data, dict) else {}), text
        except ValueError:
            return {}, text  # half-written by a run killed while taking the lock

    def _started(self, info: dict) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(str(info["started"]))
        except (KeyError, ValueError):
            try:
                return dt.datetime.fromtimestamp(self.path.stat().st_mtime)
            except OSError:
                return None

    def stale_reason(self, info: dict) -> str | None:
        """Why the lock described by ``info`` may be taken over, or ``None`` if it is live."""
        if not info:  # empty or unreadable: a run is writing it this instant, or failed to
            try:
                age = self._now().timestamp() - self.path.stat().st_mtime
            except OSError:
                return "the lock file is unreadable"
            if age > GRACE_SECONDS:
                return (f"the lock file is empty or unreadable and {_duration(age)} old "
                        "(left by a run that failed while taking it)")
            return None
        started = self._started(info)
        if started is not None:
            age = (self._now() - started).total_seconds()
            if age > self.stale_after:
                return f"it is {_duration(age)} old (locks older than {_duration(self.stale_after)} are stale)"
        pid, host = info.get("pid"), info.get("host")
        if isinstance(pid, int) and host == this_host() and not pid_alive(pid):
            return f"process {pid} on {host} is no longer running"
        return None

    def acquire(self) -> "RunLock":
        for _ in range(3):
            if self._create():
                self.held = True
                return self
            info, text = self._read()
            if not text and not self.path.exists():
                continue  # released between our two looks: try again
            reason = self.stale_reason(info)
            if reason is None:
                raise TargetLocked(self._held_message(info))
            if self._take_over(text):
                whose = (f" from pid {info.get('pid', '?')} on {info.get('host', '?')} "
                         f"(started {info.get('started', '?')})" if info else "")
                self.took_over = f"took over the lock {self.path.name}{whose}: {reason}"
                log.warning("%s", self.took_over)
        raise TargetLocked(self._held_message(self._read()[0]))

    def _take_over(self, seen_text: str) -> bool:
        """Move the stale lock aside, making sure it is the one we judged stale."""
        aside = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}-{self.token[:8]}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return True  # someone else removed it; just try to create ours
        except OSError:
            return False
        try:
            moved = aside.read_text(encoding="utf-8")
        except OSError:
            moved = seen_text
        if moved != seen_text:
            # another run replaced it between our look and the move: put it back
            if not self.path.exists():
                try:
                    os.replace(aside, self.path)
                except OSError:
                    pass
            return False
        _remove(aside)
        return True

    def _held_message(self, info: dict) -> str:
        if not info:
            return (f"{self.target.name}: another kpi-xl run is starting on it (its lock file {self.path} is not "
                    f"written yet). Try again in a minute; a lock left empty is ignored after {GRACE_SECONDS} seconds.")
        started = self._started(info)
        since = started.strftime("%Y-%m-%d %H:%M") if started else "an unknown time"
        who = f"process {info.get('pid', '?')} on {info.get('host', '?')}"
        return (f"{self.target.name}: another kpi-xl run ({who}) has been regenerating it since {since}. "
                f"Wait for it to finish and try again. If no kpi-xl run is active, delete {self.path}.")

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        info, _ = self._read()
        if info.get("token") == self.token:
            _remove(self.path)
        else:
            log.warning("lock %s was taken over by another run; left in place", self.path)

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 2 * 3600:
        return f"{seconds // 60} minutes"
    return f"{seconds / 3600:.1f} hours"
