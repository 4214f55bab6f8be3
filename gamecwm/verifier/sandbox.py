"""Run untrusted GameCWM code in a separate, limited worker process.

    >>> from gamecwm.verifier.sandbox import Sandbox
    >>> with Sandbox() as box:
    ...     box.call("load", source="def f():\\n    return 1\\n", name="candidate")["error"] is None
    True

The worker is `python -I -S` (isolated, no site-packages: it needs only the standard library and
this package, which it finds by path) in a fresh temporary directory with a scrubbed environment, lowered
resource limits (address space, CPU seconds, file size, recursion), an audit hook and guarded
imports (see `worker.py`). Requests go down its stdin; replies come back on a pipe of their own that
candidate code cannot reach, as length-prefixed JSON (never pickle). The caller enforces wall-clock
limits with SIGKILL on the worker's process group, so a candidate that hangs, ignores signals,
exhausts memory or dies is reported as a `SandboxError` naming what happened.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
BOOTSTRAP = "import sys; sys.path.insert(0, {root!r}); from gamecwm.verifier.worker import main; main()"
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
    """One worker process; `call(op, **params)` sends a request and returns the reply dict."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.process: subprocess.Popen | None = None
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
        read_fd, write_fd = os.pipe()
        config = {"workdir": self.workdir, "result_fd": write_fd, "limits": asdict(self.limits)}
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": self.workdir, "TMPDIR": self.workdir}
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", BOOTSTRAP.format(root=str(PACKAGE_ROOT)), json.dumps(config)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=self.workdir,
                env=env,
                pass_fds=(write_fd,),
                start_new_session=True,
            )
        finally:
            os.close(write_fd)
        self.results = os.fdopen(read_fd, "rb", buffering=0)
        self.deadline = time.monotonic() + self.limits.candidate_seconds
        self._receive(self.limits.call_seconds, "starting")

    def call(self, op: str, **params: Any) -> dict[str, Any]:
        if self.process is None or self.process.poll() is not None:
            raise SandboxError("worker is not running")
        try:
            self.process.stdin.write((json.dumps({"op": op, **params}) + "\n").encode())
            self.process.stdin.flush()
        except BrokenPipeError:
            self._kill()
            raise SandboxError(f"{_describe_exit(self.process.returncode)} before '{op}'") from None
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
            if not chunk:
                code = self.process.wait()
                self._kill()
                raise SandboxError(f"{_describe_exit(code)} during '{op}'")
            data += chunk
        return data

    def _kill(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def close(self) -> None:
        if self.process is not None:
            if self.process.poll() is None and self.process.stdin:
                try:
                    self.process.stdin.close()
                except BrokenPipeError:
                    pass
            self._kill()
            self.results.close()
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
