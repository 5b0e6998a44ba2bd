"""Child processes of the local stack: a free port, start with a death signal, stop for sure.

Children get PR_SET_PDEATHSIG so they die with the thread that started them even if it is SIGKILLed;
call spawn() from the main thread.
"""
from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys


class StackError(RuntimeError):
    """A local service could not be found or started; the message says what and where."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_PR_SET_PDEATHSIG = 1
try:
    _libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
except OSError:  # pragma: no cover
    _libc = None


def child_preexec(parent_pid: int | None = None):
    """preexec_fn: die (SIGTERM) when the starting thread dies; nothing allocated in the child."""
    parent = parent_pid or os.getpid()
    prctl = _libc.prctl if _libc is not None else None

    def _preexec() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
            if os.getppid() != parent:  # parent already gone before prctl took effect
                os.kill(os.getpid(), signal.SIGKILL)
    return _preexec


def spawn(cmd: list[str], *, own_group: bool = True, **kw) -> subprocess.Popen:
    """Popen with the death signal; own_group keeps a terminal Ctrl-C for our own handler."""
    kw.setdefault("stdin", subprocess.DEVNULL)
    if own_group:
        kw.setdefault("process_group", 0)
    proc = subprocess.Popen(cmd, preexec_fn=child_preexec(), **kw)
    proc.own_group = own_group  # stop_process may then sweep the group
    return proc


def stop_process(proc: subprocess.Popen, timeout: float = 10, sig: int = signal.SIGTERM) -> None:
    """Signal, wait, then SIGKILL (its whole group if it leads one); safe to repeat."""
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if getattr(proc, "own_group", False):  # grandchildren left behind (gunicorn/rq forks)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:  # ProcessLookupError: the group is already empty
            pass
