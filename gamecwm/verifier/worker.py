"""The sandboxed worker: one process per candidate, started by `gamecwm.verifier.sandbox`.

It lowers its own resource limits, captures output in capped buffers, installs an audit hook, loads
the candidate with guarded builtins, then answers requests (one JSON line each on stdin) with raw
facts on a private result pipe. It never decides whether a check passes: the caller does.
"""

from __future__ import annotations

# Everything the worker and an allowed candidate may need is imported before the guards go up.
import bisect  # noqa: E401, F401, I001
import builtins
import io
import json
import os
import random
import resource
import socket
import struct
import sys
import types
from typing import Any

from gamecwm.api import ALLOWED_IMPORTS
from gamecwm.games.scenarios import scenario_facts
from gamecwm.search import planners
from gamecwm.verifier import probes
from gamecwm.verifier.screen import FORBIDDEN_NAMES

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
BLOCKED_EVENTS = frozenset(
    {
        "os.system", "os.fork", "os.forkpty", "os.kill", "os.killpg", "os.putenv", "os.unsetenv",
        "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.link",
        "os.symlink", "os.truncate", "os.chdir", "os.startfile", "os.listdir", "os.scandir",
        "shutil.rmtree", "shutil.copyfile", "shutil.move", "pty.spawn", "sys.setrecursionlimit",
        "sys._getframe", "sys.settrace", "sys.setprofile", "gc.get_objects", "gc.get_referrers",
        "object.__getattr__",
    }
)  # fmt: skip
BLOCKED_PREFIXES = ("socket.", "subprocess.", "ctypes.", "os.exec", "os.spawn", "os.posix_spawn", "winreg.")


class CappedText(io.TextIOBase):
    """A text sink that keeps at most `limit` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.limit, self.kept, self.dropped = limit, [], 0
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        room = self.limit - self.size
        if room > 0:
            self.kept.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def take(self) -> str:
        text = "".join(self.kept)
        self.kept, self.size = [], 0
        dropped, self.dropped = self.dropped, 0
        return text + (f"\n... ({dropped} more characters dropped)" if dropped else "")


def _set_limits(limits: dict[str, Any]) -> None:
    memory = int(limits["memory_bytes"])
    cpu = int(limits["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limits["file_bytes"]),) * 2)
    sys.setrecursionlimit(int(limits["recursion"]))


def _install_audit_hook(workdir: str) -> None:
    readable = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.dirname(probes.__file__))})

    def hook(event: str, args: tuple) -> None:
        if event == "builtins.id":  # by far the most frequent event (copy.deepcopy): leave at once
            return
        if event in BLOCKED_EVENTS or event.startswith(BLOCKED_PREFIXES):
            raise PermissionError(f"sandbox: {event} is not allowed")
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int) or path is None:
                return
            path = os.path.abspath(os.fsdecode(path))
            writing = (mode and any(c in mode for c in "wax+")) or (flags & WRITE_FLAGS)
            if path.startswith(workdir + os.sep):
                return
            if writing or not path.startswith(readable):
                raise PermissionError(f"sandbox: opening {path!r} is not allowed")
        elif event == "import":
            name = str(args[0])
            if name.split(".")[0] not in ALLOWED_IMPORTS:
                raise ImportError(f"sandbox: import of {name!r} is not allowed")

    sys.addaudithook(hook)


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002
    if level or name.split(".")[0] not in ALLOWED_IMPORTS:
        raise ImportError(
            f"import of {name!r} is not allowed in a GameCWM (allowed: {', '.join(sorted(ALLOWED_IMPORTS))})"
        )
    return builtins.__import__(name, globals, locals, fromlist, level)


def _safe_builtins() -> dict[str, Any]:
    safe = {k: v for k, v in vars(builtins).items() if k not in FORBIDDEN_NAMES}
    safe["__import__"] = _guarded_import
    return safe


class Ops:
    """The requests a worker answers; also usable in-process for trusted code (`InProcess`)."""

    game: types.ModuleType | None = None

    def call(self, op: str, **params: Any) -> dict[str, Any]:
        return getattr(self, "op_" + op)(**params)

    def op_load(self, source: str, name: str) -> dict[str, Any]:
        module = types.ModuleType(name)
        module.__dict__["__builtins__"] = _safe_builtins()
        try:
            code = compile(source, f"<{name}>", "exec")
        except (SyntaxError, ValueError) as exc:
            return {"compiled": False, "error": probes.short(f"{type(exc).__name__}: {exc}")}
        try:
            exec(code, module.__dict__)
        except BaseException as exc:  # noqa: BLE001
            return {"compiled": True, "error": probes.short(f"{type(exc).__name__}: {exc}")}
        self.game = module
        return {"compiled": True, "error": None}

    def op_api(self, info: str) -> dict[str, Any]:
        return probes.api_facts(self.game, info)

    def op_fuzz(self, games: int, seed: int, max_steps: int) -> dict[str, Any]:
        return {"games": probes.fuzz(self.game, games, seed, max_steps)}

    def op_scenarios(self, scenarios: list[dict[str, Any]]) -> dict[str, Any]:
        return {"facts": [scenario_facts(self.game, s["actions"], s["checks"]) for s in scenarios]}

    def op_resample(self, games: int, seed: int, max_steps: int) -> dict[str, Any]:
        return {"trials": probes.resample_trials(self.game, games, seed, max_steps)}

    def op_trajectories(self, trajectories: list[list[str]]) -> dict[str, Any]:
        return {"steps": probes.trajectory_facts(self.game, trajectories)}

    def op_info(self, actions: list[str]) -> dict[str, Any]:
        return {"result": planners.step_info(self.game, actions)}

    def op_choose(self, actions: list[str], player: int, planner: dict[str, Any], seed: int) -> dict[str, Any]:
        return {"result": planners.choose(self.game, actions, player, planners.Planner(**planner), seed)}

    def op_observations(self, trajectories: list[list[str]]) -> dict[str, Any]:
        return {"keys": probes.observation_keys(self.game, trajectories)}


class Worker(Ops):
    def __init__(self, result_fd: int, requests: io.BufferedReader, output_limit: int) -> None:
        self.result = os.fdopen(result_fd, "wb", buffering=0)
        self.requests = requests
        self.stdout, self.stderr = CappedText(output_limit), CappedText(output_limit)

    def send(self, message: dict[str, Any]) -> None:
        message["output"] = (self.stdout.take() + self.stderr.take())[-2000:]
        data = json.dumps(message, default=repr).encode()
        self.result.write(struct.pack(">I", len(data)) + data)

    def serve(self) -> None:
        while line := self.requests.readline():
            request = json.loads(line)
            try:
                reply = self.call(**request)
            except BaseException as exc:  # noqa: BLE001 - SystemExit from a candidate included
                reply = {"error": probes.short(f"{type(exc).__name__}: {exc}")}
            self.send(reply)


def run_worker(config: dict[str, Any], requests: io.BufferedReader, result_fd: int) -> None:
    """Lower the limits, raise the guards, then answer requests until the caller closes them."""
    sys.stdin = io.StringIO("")
    os.chdir(config["workdir"])
    os.environ.update(HOME=config["workdir"], TMPDIR=config["workdir"])
    _set_limits(config["limits"])
    random.seed(0)
    worker = Worker(result_fd, requests, int(config["limits"]["output_bytes"]))
    sys.stdout, sys.stderr = worker.stdout, worker.stderr
    _install_audit_hook(os.path.realpath(config["workdir"]))
    worker.send({"ready": True})
    worker.serve()


def main() -> None:
    """A worker started on its own: the config is argv[1], requests come on stdin."""
    config = json.loads(sys.argv[1])
    run_worker(config, sys.stdin.buffer, config["result_fd"])


def zygote_main() -> None:
    """Fork fresh workers on request, from a process that has imported everything but run nothing.

    Requests arrive on the socket passed as fd `argv[1]` (SOCK_SEQPACKET, one JSON message each):
    `spawn` carries the worker's config and its two pipe ends; `wait` reaps a worker and returns its
    exit code. Forked workers start a session of their own, so the caller can kill each one's group.
    """
    channel = socket.socket(fileno=int(sys.argv[1]))
    while True:
        message, fds, _, _ = socket.recv_fds(channel, 1 << 16, 2)
        if not message:
            return
        request = json.loads(message)
        if request["op"] == "spawn":
            pid = os.fork()
            if pid == 0:
                channel.close()
                os.setsid()
                requests_fd, result_fd = fds
                code = 70  # EX_SOFTWARE: the worker itself failed
                try:
                    run_worker(request["config"], os.fdopen(requests_fd, "rb"), result_fd)
                    code = 0
                finally:
                    os._exit(code)
            for fd in fds:
                os.close(fd)
            channel.send(json.dumps({"pid": pid}).encode())
        elif request["op"] == "wait":
            _, status = os.waitpid(request["pid"], 0)
            channel.send(json.dumps({"code": os.waitstatus_to_exitcode(status)}).encode())
