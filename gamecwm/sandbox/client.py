"""`Sandbox`: one worker hosting one candidate, seen from the caller.

    >>> from gamecwm.sandbox import Sandbox
    >>> with Sandbox() as box:
    ...     box.call("load", source="def f():\\n    return 1\\n", name="candidate")["error"] is None
    True

Requests go down one pipe as JSON lines; replies come back on another as length-prefixed JSON, decoded
by `codec.loads` (bounded size and depth, no NaN, never pickle). Every write and read has a deadline
(per call, and for the worker's whole life); a worker that hangs, stops, floods, answers nonsense or
dies is killed through its pidfd and reported as a `SandboxError` naming what happened. When the
zygote itself failed, the error says so (`infrastructure=True`) so that the owner can retry on a new
one instead of blaming its candidate.
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import signal
import struct
import tempfile
import time
import uuid
from dataclasses import asdict
from typing import Any

from gamecwm.sandbox import codec
from gamecwm.sandbox.isolation import LEVELS, Isolation
from gamecwm.sandbox.limits import Limits
from gamecwm.sandbox.zygote import Zygote, ZygoteError, shared_zygote

MAX_REPLY_BYTES = 64 * 1024 * 1024


class SandboxError(RuntimeError):
    """The worker timed out (`timed_out`), died or broke protocol; `reason` says which, in words."""

    def __init__(self, reason: str, infrastructure: bool = False, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.infrastructure = infrastructure
        self.timed_out = timed_out


def describe_exit(code: int | None) -> str:
    if code is None:
        return "worker vanished"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        meaning = {"SIGXCPU": "CPU time limit exceeded", "SIGSEGV": "segmentation fault",
                   "SIGKILL": "killed (likely out of memory)", "SIGXFSZ": "file size limit exceeded",
                   "SIGABRT": "aborted"}.get(name, "killed by a signal")  # fmt: skip
        return f"worker {meaning} ({name})"
    return f"worker exited with status {code}"


class Sandbox:
    """One worker process; `call(op, **params)` sends a request and returns the reply dict.

    `isolation` is `auto`, `required` or `off` (`isolation.resolve`); `plugins` name modules whose
    `SANDBOX_OPS` the worker also answers (the search's planners, for play).
    """

    def __init__(self, limits: Limits | None = None, isolation: str = "auto", plugins: tuple[str, ...] = ()) -> None:
        self.limits = limits or Limits()
        self.isolation_mode = isolation
        self.plugins = tuple(plugins)
        self.pid: int | None = None
        self.pidfd: int | None = None
        self.exit_code: int | None = None
        self.dead = False
        self.host_workdir: str | None = None
        self.deadline = 0.0
        self.output = ""
        self.zygote: Zygote | None = None

    @property
    def isolation(self) -> Isolation | None:
        return self.zygote.isolation if self.zygote else None

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        try:
            self.zygote = shared_zygote(self.isolation_mode, self.plugins)
        except ZygoteError as exc:
            raise SandboxError(str(exc), infrastructure=True) from None
        level = self.zygote.isolation.level
        if level == LEVELS[0]:  # inside the sandbox's private tmpfs
            workdir = f"/tmp/worker-{uuid.uuid4().hex[:12]}"
        else:
            workdir = self.host_workdir = tempfile.mkdtemp(prefix="gamecwm-sandbox-")
        config = {"workdir": workdir, "limits": asdict(self.limits), "seccomp": level != "process"}
        requests_read, requests_write = os.pipe()
        results_read, results_write = os.pipe()
        try:
            self.pid, self.pidfd = self.zygote.spawn(config, requests_read, results_write)
        except ZygoteError as exc:
            for fd in (requests_write, results_read):
                os.close(fd)
            raise SandboxError(str(exc), infrastructure=True) from None
        finally:
            os.close(requests_read)
            os.close(results_write)
        fcntl.fcntl(requests_write, fcntl.F_SETFL, fcntl.fcntl(requests_write, fcntl.F_GETFL) | os.O_NONBLOCK)
        self.requests, self.results = requests_write, results_read
        self.deadline = time.monotonic() + self.limits.candidate_seconds
        self._receive("starting")

    def call(self, op: str, **params: Any) -> dict[str, Any]:
        if self.pid is None or self.dead:
            raise SandboxError("worker is not running")
        self._write(codec.dumps({"op": op, **params}) + b"\n", op)
        return self._receive(op)

    def _end(self, op: str) -> float:
        return min(time.monotonic() + self.limits.call_seconds, self.deadline)

    def _timed_out(self, op: str, end: float) -> SandboxError:
        self._kill()
        whole = end >= self.deadline
        limit = "per-candidate" if whole else "per-call"
        seconds = self.limits.candidate_seconds if whole else self.limits.call_seconds
        return SandboxError(f"timed out during '{op}' ({limit} limit of {seconds:g} s); worker killed", timed_out=True)

    def _write(self, data: bytes, op: str) -> None:
        end = self._end(op)
        view = memoryview(data)
        while view:
            left = end - time.monotonic()
            if left <= 0 or not select.select([], [self.requests], [], left)[1]:
                raise self._timed_out(op, end)
            try:
                view = view[os.write(self.requests, view) :]
            except BlockingIOError:
                continue
            except (BrokenPipeError, OSError):
                raise self._died(f"before '{op}'") from None

    def _receive(self, op: str) -> dict[str, Any]:
        end = self._end(op)
        (size,) = struct.unpack(">I", self._read(4, end, op))
        if size > MAX_REPLY_BYTES:
            self._kill()
            raise SandboxError(f"worker reply to '{op}' too large ({size} bytes); worker killed")
        try:
            reply = codec.loads(self._read(size, end, op))
        except codec.MalformedMessage as exc:
            self._kill()
            raise SandboxError(f"malformed reply to '{op}' ({exc}); worker killed") from None
        if not isinstance(reply, dict):
            self._kill()
            raise SandboxError(f"malformed reply to '{op}' (not an object); worker killed")
        output = reply.pop("output", "")
        self.output = output if isinstance(output, str) else ""
        return reply

    def _read(self, size: int, end: float, op: str) -> bytes:
        chunks, got = [], 0
        while got < size:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.results], [], [], left)[0]:
                raise self._timed_out(op, end)
            chunk = os.read(self.results, min(size - got, 1 << 20))
            if not chunk:  # the worker closed its end: it has exited or is exiting
                raise self._died(f"during '{op}'")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _died(self, when: str) -> SandboxError:
        zygote_gone = self.zygote is not None and not self.zygote.alive()
        code = self._kill()
        if zygote_gone:
            return SandboxError(f"the sandbox's zygote is gone {when}", infrastructure=True)
        return SandboxError(f"{describe_exit(code)} {when}")

    def _kill(self) -> int | None:
        """Kill the worker (idempotent) and return its exit code, if the zygote could tell it."""
        # pid and pidfd are set together (by the zygote's spawn), and reset together
        if not self.dead and self.pid is not None and self.pidfd is not None and self.zygote is not None:
            self.dead = True
            try:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.exit_code = self.zygote.wait(self.pid)
            except ZygoteError:
                self.exit_code = None
        return self.exit_code

    def close(self) -> None:
        if self.pid is not None and self.pidfd is not None:
            self._kill()
            for fd in (self.requests, self.results, self.pidfd):
                os.close(fd)
            self.pid = self.pidfd = None
        if self.host_workdir:
            shutil.rmtree(self.host_workdir, ignore_errors=True)
            self.host_workdir = None
