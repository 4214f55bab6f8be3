"""A fork server for sandbox workers: one clean process that forks a fresh worker per candidate.

Starting `python -I -S` and importing the worker costs about a tenth of a second per candidate; a
fork of a process that has already done so costs a few milliseconds. The zygote is started like a
worker (isolated interpreter, scrubbed environment, its own session) but never runs candidate code:
each forked child lowers its limits and raises its guards before loading anything (`worker.py`).
Exit codes come back through the zygote, which is the workers' parent.
"""

from __future__ import annotations

import atexit
import json
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
ENTRY = "import sys; sys.path.insert(0, {root!r}); from gamecwm.verifier.worker import {function}; {function}()"
SCRUBBED_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def interpreter_command(function: str, *args: str) -> list[str]:
    """The isolated interpreter (no site-packages) running `gamecwm.verifier.worker.<function>`."""
    return [sys.executable, "-I", "-S", "-c", ENTRY.format(root=str(PACKAGE_ROOT), function=function), *args]


class Zygote:
    def __init__(self) -> None:
        self.channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                interpreter_command("zygote_main", str(theirs.fileno())),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd="/",
                env=SCRUBBED_ENV,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
            )
        finally:
            theirs.close()
        self.lock = threading.Lock()

    def _ask(self, request: dict[str, Any], fds: list[int] = ()) -> dict[str, Any]:
        with self.lock:
            socket.send_fds(self.channel, [json.dumps(request).encode()], list(fds))
            reply = self.channel.recv(1 << 16)
        if not reply:
            raise OSError("the sandbox zygote is gone")
        return json.loads(reply)

    def spawn(self, config: dict[str, Any], requests_fd: int, result_fd: int) -> int:
        """Fork a worker reading requests from `requests_fd` and replying on `result_fd`; its pid."""
        return self._ask({"op": "spawn", "config": config}, [requests_fd, result_fd])["pid"]

    def wait(self, pid: int) -> int:
        """Reap worker `pid` (already dead or killed) and return its exit code (-N for signal N)."""
        return self._ask({"op": "wait", "pid": pid})["code"]

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        self.channel.close()
        self.process.kill()
        self.process.wait()


_zygote: Zygote | None = None
_zygote_lock = threading.Lock()


def shared_zygote() -> Zygote:
    """The process-wide zygote, (re)started on demand and stopped at exit."""
    global _zygote
    with _zygote_lock:
        if _zygote is None:
            atexit.register(_stop)
        if _zygote is None or not _zygote.alive():
            _zygote = Zygote()
        return _zygote


def _stop() -> None:
    if _zygote is not None:
        _zygote.close()


def zygote_pid() -> int | None:
    return _zygote.process.pid if _zygote is not None and _zygote.alive() else None
