"""The caller's side of the fork server: one sandboxed process that forks a fresh worker per candidate.

Starting an interpreter and importing the worker costs about a tenth of a second; a fork of a process
that has already done so costs a few milliseconds. The zygote starts under the isolation level of
`isolation.py` and never runs candidate code. Every exchange with it has a timeout: a zygote that
stops answering (or dies) is killed with everything it forked and the next request starts a new one;
a worker whose zygote is gone learns it from `alive()`.
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
from collections.abc import Sequence
from typing import IO, Any, cast

from gamecwm.sandbox import codec
from gamecwm.sandbox.isolation import Isolation, resolve, zygote_launch

EXCHANGE_SECONDS = 10.0
START_SECONDS = 30.0


class ZygoteError(RuntimeError):
    """The zygote did not answer in time, answered nonsense or is gone."""


class Zygote:
    def __init__(self, isolation: Isolation, plugins: tuple[str, ...] = ()) -> None:
        self.isolation = isolation
        self.channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.launch = zygote_launch(isolation.level, [str(theirs.fileno()), json.dumps(list(plugins))])
        try:
            self.process = subprocess.Popen(
                self.launch.argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                cwd="/",
                env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
            )
        except OSError as exc:  # the interpreter or bwrap cannot be started at all
            self.channel.close()
            self._remove_stage()
            raise ZygoteError(f"the sandbox did not start: {exc}") from None
        finally:
            theirs.close()
        self.stderr = cast(IO[bytes], self.process.stderr)  # a pipe: never None
        self.lock = threading.Lock()
        try:
            hello = self._receive(START_SECONDS)[0]
        except ZygoteError as exc:
            stderr = self._stderr()
            self.close()
            raise ZygoteError(f"the sandbox did not start: {exc}{': ' + stderr if stderr else ''}") from None
        self.stderr.close()
        self.isolation.uid = hello.get("uid")

    def _stderr(self) -> str:
        try:
            self.process.wait(timeout=1)
            return self.stderr.read().decode(errors="replace").strip()[-300:]
        except (subprocess.TimeoutExpired, ValueError, OSError):
            return ""

    def _receive(self, timeout: float) -> tuple[dict[str, Any], list[int]]:
        self.channel.settimeout(timeout)
        try:
            message, fds, _, _ = socket.recv_fds(self.channel, 1 << 16, 1)
        except TimeoutError:
            raise ZygoteError(f"no answer within {timeout:g} s") from None
        except OSError as exc:
            raise ZygoteError(f"the channel failed: {exc}") from None
        if not message:
            raise ZygoteError("the zygote is gone")
        try:
            return codec.loads(message), fds
        except codec.MalformedMessage as exc:
            for fd in fds:
                os.close(fd)
            raise ZygoteError(f"malformed answer: {exc}") from None

    def _ask(self, request: dict[str, Any], fds: Sequence[int] = ()) -> tuple[dict[str, Any], list[int]]:
        with self.lock:
            try:
                self.channel.settimeout(EXCHANGE_SECONDS)
                socket.send_fds(self.channel, [codec.dumps(request)], list(fds))
                return self._receive(EXCHANGE_SECONDS)
            except (OSError, ZygoteError) as exc:
                self.kill()
                raise ZygoteError(f"sandbox zygote: {exc}") from None

    def spawn(self, config: dict[str, Any], requests_fd: int, result_fd: int) -> tuple[int, int]:
        """Fork a worker reading requests from `requests_fd` and replying on `result_fd`: (pid, pidfd)."""
        reply, fds = self._ask({"op": "spawn", "config": config}, [requests_fd, result_fd])
        if len(fds) != 1 or not isinstance(reply.get("pid"), int):
            for fd in fds:
                os.close(fd)
            self.kill()
            raise ZygoteError("sandbox zygote: a spawn answer without its pid and pidfd")
        return reply["pid"], fds[0]

    def wait(self, pid: int) -> int | None:
        """Reap worker `pid` (already dead or killed): its exit code (-N for signal N), None if unknown."""
        code = self._ask({"op": "wait", "pid": pid})[0].get("code")
        return code if isinstance(code, int) else None

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """Kill the zygote and, with it, every worker it forked (they share its PID namespace or die
        with their session)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.kill()

    def close(self) -> None:
        self.channel.close()
        self.kill()
        self.process.wait()
        self._remove_stage()

    def _remove_stage(self) -> None:
        """The staging folder of a root launch (its mounts ended with the zygote's mount namespace)."""
        for path in self.launch.cleanup:
            shutil.rmtree(path, ignore_errors=True)


_zygotes: dict[tuple[str, tuple[str, ...]], Zygote] = {}
_lock = threading.Lock()


def shared_zygote(isolation_mode: str = "auto", plugins: tuple[str, ...] = ()) -> Zygote:
    """The process-wide zygote for this isolation mode and plugin set, (re)started on demand and
    stopped at exit."""
    isolation = resolve(isolation_mode)
    key = (isolation.level, tuple(plugins))
    with _lock:
        if not _zygotes:
            atexit.register(_stop_all)
        zygote = _zygotes.get(key)
        if zygote is None or not zygote.alive():
            if zygote is not None:
                zygote.close()
            zygote = _zygotes[key] = Zygote(dataclasses.replace(isolation), plugins)  # its own copy: its uid
        return zygote


def _stop_all() -> None:
    for zygote in list(_zygotes.values()):
        zygote.close()
    _zygotes.clear()


def zygote_pids() -> set[int]:
    """Host pids of the live zygotes' outermost processes (for tests and diagnostics)."""
    return {z.process.pid for z in _zygotes.values() if z.alive()}
