"""Run untrusted GameCWM code in a separate, limited worker process.

    >>> from gamecwm.verifier.sandbox import Sandbox
    >>> with Sandbox() as box:
    ...     box.call("load", source="def f():\\n    return 1\\n", name="candidate")["error"] is None
    True

The worker is an isolated `python -I -S` (no site-packages: it needs only the standard library and
this package, which it finds by path), forked from a clean zygote, in a fresh temporary directory
with a scrubbed environment, lowered resource limits (address space, CPU seconds, file size,
recursion), an audit hook and guarded imports (see `worker.py`). Requests go down one pipe; replies
come back on another that candidate code cannot reach, as length-prefixed JSON (never pickle). The
caller enforces wall-clock limits with SIGKILL on the worker's process group, so a candidate that
hangs, ignores signals, exhausts memory or dies is reported as a `SandboxError` naming what happened.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Any

from gamecwm.verifier.zygote import SCRUBBED_ENV, interpreter_command, shared_zygote

MAX_REPLY_BYTES = 64 * 1024 * 1024


@dataclass
class Limits:
    call_seconds: float = 30.0  # wall clock for one request
    candidate_seconds: float = 120.0  # wall clock for the whole worker
    cpu_seconds: int = 120
    memory_bytes: int = 2 * 1024**3
    file_bytes: int = 16 * 1024**2
    recursion: int = 5000
    output_bytes: int = 64 * 1024

    @classmethod
    def for_match(cls, call_seconds: float = 60) -> Limits:
        """A worker that hosts a model for a whole match: each call is bounded, the match is not."""
        return cls(call_seconds=call_seconds, candidate_seconds=24 * 3600, cpu_seconds=24 * 3600)


class SandboxError(RuntimeError):
    """The worker timed out, died or broke protocol; `reason` says which, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _describe_exit(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name
        meaning = {"SIGXCPU": "CPU time limit exceeded", "SIGSEGV": "segmentation fault",
                   "SIGKILL": "killed (likely out of memory)", "SIGXFSZ": "file size limit exceeded",
                   "SIGABRT": "aborted"}.get(name, "killed by a signal")  # fmt: skip
        return f"worker {meaning} ({name})"
    return f"worker exited with status {code}"


class Sandbox:
    """One worker process; `call(op, **params)` sends a request and returns the reply dict.

    Workers are forked by the shared zygote (`zygote.py`) unless `fork_server=False`, in which case
    each one is a fresh interpreter; both kinds run the same code under the same guards.
    """

    def __init__(self, limits: Limits | None = None, fork_server: bool = True) -> None:
        self.limits = limits or Limits()
        self.fork_server = fork_server
        self.pid: int | None = None
        self.exit_code: int | None = None
        self.workdir: str | None = None
        self.deadline = 0.0
        self.output = ""

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        self.workdir = tempfile.mkdtemp(prefix="gamecwm-sandbox-")
        requests_read, requests_write = os.pipe()
        results_read, results_write = os.pipe()
        config = {"workdir": self.workdir, "limits": asdict(self.limits)}
        try:
            if self.fork_server:
                self.zygote = shared_zygote()
                self.pid = self.zygote.spawn(config, requests_read, results_write)
            else:
                self.process = subprocess.Popen(
                    interpreter_command("main", json.dumps({**config, "result_fd": results_write})),
                    stdin=requests_read,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd=self.workdir,
                    env=SCRUBBED_ENV,
                    pass_fds=(results_write,),
                    start_new_session=True,
                )
                self.pid = self.process.pid
        finally:
            os.close(requests_read)
            os.close(results_write)
        self.requests = os.fdopen(requests_write, "wb", buffering=0)
        self.results = os.fdopen(results_read, "rb", buffering=0)
        self.deadline = time.monotonic() + self.limits.candidate_seconds
        self._receive(self.limits.call_seconds, "starting")

    def call(self, op: str, **params: Any) -> dict[str, Any]:
        if self.pid is None or self.exit_code is not None:
            raise SandboxError("worker is not running")
        try:
            self.requests.write((json.dumps({"op": op, **params}) + "\n").encode())
        except BrokenPipeError:
            raise SandboxError(f"{_describe_exit(self._kill())} before '{op}'") from None
        return self._receive(self.limits.call_seconds, op)

    def _receive(self, timeout: float, op: str) -> dict[str, Any]:
        header = self._read(4, timeout, op)
        (size,) = struct.unpack(">I", header)
        if size > MAX_REPLY_BYTES:
            self._kill()
            raise SandboxError(f"worker reply to '{op}' too large ({size} bytes)")
        reply = json.loads(self._read(size, timeout, op))
        self.output = reply.pop("output", "")
        return reply

    def _read(self, size: int, timeout: float, op: str) -> bytes:
        data = b""
        end = min(time.monotonic() + timeout, self.deadline)
        while len(data) < size:
            left = end - time.monotonic()
            ready = select.select([self.results], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                self._kill()
                limit = "per-candidate" if end == self.deadline else "per-call"
                seconds = self.limits.candidate_seconds if end == self.deadline else self.limits.call_seconds
                raise SandboxError(f"timed out during '{op}' ({limit} limit of {seconds:g} s); worker killed")
            chunk = self.results.read(size - len(data))
            if not chunk:  # the worker closed its end: it has exited or is exiting
                raise SandboxError(f"{_describe_exit(self._reap())} during '{op}'")
            data += chunk
        return data

    def _reap(self) -> int:
        """Wait for the worker to end by itself (it closed its pipe), killing it if it lingers."""
        if self.exit_code is None and not self.fork_server:
            try:
                self.exit_code = self.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        return self._kill()

    def _kill(self) -> int:
        """Kill the worker's process group (idempotent) and return its exit code."""
        if self.exit_code is None and self.pid is not None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.exit_code = self.zygote.wait(self.pid) if self.fork_server else self.process.wait()
        return self.exit_code

    def close(self) -> None:
        if self.pid is not None:
            self.requests.close()
            self._kill()
            self.results.close()
            self.pid = None
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
