"""The sandboxed side: the zygote, and the workers it forks to host one candidate each.

A worker lowers its resource limits, installs its seccomp filter (`isolation.py`), captures output,
raises the in-process guards (an audit hook, guarded imports that hand out public views of the
allowed modules, builtins without the dangerous names), loads the candidate, and then answers
requests: `load`, `api`, and the ops of the plugins named when the zygote started (the verifier's
probes, the search's planners), imported before any candidate exists. Each answer goes back strictly
encoded (`codec.py`). Nothing here decides a check or draws a random number: the verifier's probes
take their draws from seeds the caller chose and the caller checks them, then judges.
"""

from __future__ import annotations

# Everything a worker and an allowed candidate may need is imported before the guards go up.
import bisect  # noqa: F401
import builtins
import collections  # noqa: F401
import collections.abc  # noqa: F401
import copy  # noqa: F401
import dataclasses  # noqa: F401
import enum  # noqa: F401
import functools  # noqa: F401
import heapq  # noqa: F401
import importlib
import io
import itertools  # noqa: F401
import json
import math  # noqa: F401
import operator  # noqa: F401
import os
import random
import re  # noqa: F401
import resource
import socket
import string  # noqa: F401
import struct
import sys
import types
import typing  # noqa: F401
from collections.abc import Callable
from typing import Any

from gamecwm.api import ALLOWED_IMPORTS, missing_functions
from gamecwm.sandbox import codec, isolation
from gamecwm.sandbox.codec import error_text, short
from gamecwm.sandbox.screen import FORBIDDEN_NAMES, HIDDEN_MODULE_NAMES

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
BLOCKED_EVENTS = frozenset(
    {
        "os.system", "os.fork", "os.forkpty", "os.kill", "os.killpg", "os.putenv", "os.unsetenv",
        "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.link",
        "os.symlink", "os.truncate", "os.chdir", "os.startfile", "os.listdir", "os.scandir",
        "os.utime", "os.setxattr", "os.removexattr", "resource.prlimit", "resource.setrlimit",
        "shutil.rmtree", "shutil.copyfile", "shutil.move", "pty.spawn", "sys.setrecursionlimit",
        "sys._getframe", "sys.settrace", "sys.setprofile", "gc.get_objects", "gc.get_referrers",
        "object.__getattr__", "sys.addaudithook",
    }
)  # fmt: skip
BLOCKED_PREFIXES = ("socket.", "subprocess.", "ctypes.", "os.exec", "os.spawn", "os.posix_spawn", "winreg.")


class CappedText(io.TextIOBase):
    """A text sink that keeps at most `limit` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.limit, self.dropped = limit, 0
        self.kept: list[str] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
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


# -- in-process guards ------------------------------------------------------------------------


def _set_limits(limits: dict[str, Any]) -> None:
    memory = int(limits["memory_bytes"])
    cpu = int(limits["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limits["file_bytes"]),) * 2)
    sys.setrecursionlimit(int(limits["recursion"]))


def _install_audit_hook(workdir: str) -> None:
    readable = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.dirname(__file__))})

    def hook(event: str, args: tuple) -> None:
        if event == "builtins.id":  # by far the most frequent event (copy.deepcopy): leave at once
            return
        if event in BLOCKED_EVENTS or event.startswith(BLOCKED_PREFIXES):
            raise PermissionError(f"sandbox: {event} is not allowed")
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int) or path is None:
                return
            if type(path) not in (str, bytes):  # a path object could answer differently when asked again
                raise PermissionError(f"sandbox: opening a {type(path).__name__} path is not allowed")
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


_VIEWS: dict[str, types.ModuleType] = {}


def public_view(module: types.ModuleType) -> types.ModuleType:
    """A copy of an allowed module with its public names only: no private helpers (`random._os`), no
    modules it happens to import (`dataclasses.sys`), no tools for dynamic attribute access."""
    if module.__name__ in _VIEWS:
        return _VIEWS[module.__name__]
    view = types.ModuleType(module.__name__, module.__doc__)
    _VIEWS[module.__name__] = view
    hidden = HIDDEN_MODULE_NAMES.get(module.__name__, ())
    for name, value in list(vars(module).items()):
        if name.startswith("_") or name in hidden:
            continue
        if isinstance(value, types.ModuleType):
            if value.__name__.split(".")[0] not in ALLOWED_IMPORTS:
                continue
            value = public_view(value)
        setattr(view, name, value)
    return view


def _guarded_import(
    name: str,
    globals: Any = None,  # noqa: A002
    locals: Any = None,  # noqa: A002
    fromlist: Any = (),
    level: int = 0,
) -> types.ModuleType:
    if level or name.split(".")[0] not in ALLOWED_IMPORTS:
        raise ImportError(
            f"import of {name!r} is not allowed in a GameCWM (allowed: {', '.join(sorted(ALLOWED_IMPORTS))})"
        )
    module = builtins.__import__(name, None, None, fromlist, 0)
    return public_view(module)


def _safe_builtins() -> dict[str, Any]:
    safe = {k: v for k, v in vars(builtins).items() if k not in FORBIDDEN_NAMES}
    safe["__import__"] = _guarded_import
    return safe


# -- the host: a candidate and the ops that question it --------------------------------------


def _shape(value: Any) -> dict[str, Any]:
    if type(value) is list:
        return {
            "len": len(value),
            "all_str": all(type(v) is str for v in value),
            "all_number": all(type(v) in (int, float) for v in value),
            "all_dict": all(type(v) is dict for v in value),
        }
    return {"is_int": type(value) is int}


class Host:
    """The ops a worker answers: `load`, `api`, and those of its plugins (each called with the loaded
    module first). Also used in-process for trusted code (`InProcess` in the verifier)."""

    def __init__(self, plugins: dict[str, Callable[..., Any]] | None = None) -> None:
        self.game: types.ModuleType | None = None
        self.plugins = plugins or {}

    def call(self, op: str, params: dict[str, Any]) -> dict[str, Any]:
        if op in self.plugins:
            if self.game is None:
                return {"error": "no module is loaded"}
            return {"result": codec.answer(self.plugins[op](self.game, **params))}
        method = getattr(self, "op_" + op, None)
        if method is None:
            return {"error": f"unknown op {op!r}"}
        return method(**params)

    def op_load(self, source: str, name: str) -> dict[str, Any]:
        module = types.ModuleType(name)
        module.__dict__["__builtins__"] = _safe_builtins()
        try:
            code = compile(source, f"<{name}>", "exec", dont_inherit=True)  # not this file's __future__ flags
        except (SyntaxError, ValueError) as exc:
            return {"compiled": False, "error": error_text(exc)}
        try:
            exec(code, module.__dict__)
        except BaseException as exc:  # noqa: BLE001
            return {"compiled": True, "error": error_text(exc)}
        self.game = module
        return {"compiled": True, "error": None}

    def op_api(self, info: str) -> dict[str, Any]:
        """Which contract functions exist, and the types of the basic calls on the initial state."""
        game: Any = self.game  # unchecked: each call below that fails records why (None before a load)
        facts: dict[str, Any] = {"missing": missing_functions(game, info)}
        calls = {
            "initial_state": lambda: game.get_initial_state(),
            "legal_actions": lambda: game.get_legal_actions(game.get_initial_state()),
            "rewards": lambda: game.get_rewards(game.get_initial_state()),
            "observations": lambda: game.get_observations(game.get_initial_state()),
            "current_player": lambda: game.get_current_player(game.get_initial_state()),
        }
        for name, call in calls.items():
            try:
                value = call()
                facts[name] = {"type": type(value).__name__, "repr": short(value), "shape": _shape(value)}
            except BaseException as exc:  # noqa: BLE001 - a candidate may raise anything, SystemExit included
                facts[name] = {"error": error_text(exc)}
        return facts


# -- the worker process -----------------------------------------------------------------------


class Worker:
    def __init__(self, host: Host, result_fd: int, requests: io.BufferedReader, output_limit: int) -> None:
        self.host = host
        self.result = os.fdopen(result_fd, "wb", buffering=0)
        self.requests = requests
        self.stdout, self.stderr = CappedText(output_limit), CappedText(output_limit)

    def send(self, message: dict[str, Any]) -> None:
        message["output"] = (self.stdout.take() + self.stderr.take())[-2000:]
        try:
            data = codec.dumps(message)
        except (TypeError, ValueError) as exc:  # a plugin answered something that is not plain data
            data = codec.dumps({"error": f"unencodable reply: {error_text(exc)}", "output": message["output"]})
        self.result.write(struct.pack(">I", len(data)) + data)

    def serve(self) -> None:
        while line := self.requests.readline():
            try:
                request = codec.loads(line)
                op = request.pop("op")
                reply = self.host.call(op, request)
            except BaseException as exc:  # noqa: BLE001 - SystemExit from a candidate included
                reply = {"error": error_text(exc)}
            self.send(reply)


def run_worker(
    config: dict[str, Any], plugins: dict[str, Callable], requests: io.BufferedReader, result_fd: int
) -> None:
    """Lower the limits, install the filter, raise the guards, then answer requests until EOF."""
    sys.stdin = io.StringIO("")
    workdir = config["workdir"]
    os.makedirs(workdir, mode=0o700, exist_ok=True)
    os.chdir(workdir)
    os.environ.clear()
    os.environ.update(HOME=workdir, TMPDIR=workdir, PATH="/usr/bin:/bin", LANG="C.UTF-8")
    _set_limits(config["limits"])
    if config.get("seccomp"):
        isolation.install_worker_filter(os.getpid())
    random.seed(0)
    worker = Worker(Host(plugins), result_fd, requests, int(config["limits"]["output_bytes"]))
    sys.stdout, sys.stderr = worker.stdout, worker.stderr
    _install_audit_hook(os.path.realpath(workdir))
    worker.send({"ready": True, "pid": os.getpid()})
    worker.serve()


def _load_plugins(names: list[str]) -> dict[str, Callable]:
    ops: dict[str, Callable] = {}
    for name in names:
        ops.update(importlib.import_module(name).SANDBOX_OPS)
    return ops


def zygote_main() -> None:
    """Fork fresh workers on request, from a process that has imported everything but run nothing.

    argv: the fd of a SOCK_SEQPACKET socket to the caller, then the plugin modules as JSON. Requests
    are one JSON message each: `spawn` carries a worker's config and its two pipe ends, and is answered
    with the worker's pid and, as an fd, a pidfd the caller can kill it with even across a PID
    namespace; `wait` reaps a worker and answers its exit code.
    """
    channel = socket.socket(fileno=int(sys.argv[1]))
    plugins = _load_plugins(json.loads(sys.argv[2]))
    isolation.seccomp_available()  # loads libseccomp once here, so each fork only installs its filter
    channel.send(codec.dumps({"ready": True, "uid": os.getuid(), "pid": os.getpid()}))
    while True:
        message, fds, _, _ = socket.recv_fds(channel, 1 << 16, 2)
        if not message:
            return
        request = codec.loads(message)
        if request["op"] == "spawn":
            pid = os.fork()
            if pid == 0:
                channel.close()
                os.setsid()
                requests_fd, result_fd = fds
                code = 70  # EX_SOFTWARE: the worker itself failed
                try:
                    run_worker(request["config"], plugins, os.fdopen(requests_fd, "rb"), result_fd)
                    code = 0
                finally:
                    os._exit(code)
            for fd in fds:
                os.close(fd)
            pidfd = os.pidfd_open(pid)
            socket.send_fds(channel, [codec.dumps({"pid": pid})], [pidfd])
            os.close(pidfd)
        elif request["op"] == "wait":
            try:
                _, status = os.waitpid(int(request["pid"]), 0)
                code = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                code = None
            channel.send(codec.dumps({"code": code}))
