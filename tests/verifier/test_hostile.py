"""A hostile corpus: each attack ends within its limits with the right reason, and nothing on the host
changes (no file appears, no worker process survives, no secret of the parent leaks into a report).

Attacks run twice where they can: with the static screen (refused before running), and with the screen
off, so the runtime layers (guarded builtins and imports, audit hook, limits, kill) are tested alone.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from gamecwm.games import get_pack
from gamecwm.verifier import Limits, VerifyConfig, verify
from gamecwm.verifier.sandbox import Sandbox, SandboxError
from gamecwm.verifier.zygote import zygote_pid

PACK = get_pack("tic_tac_toe")
REFERENCE = PACK.reference_source
SECRET = "gamecwm-test-secret-5d41402a"
FAST = Limits(call_seconds=3, candidate_seconds=8, cpu_seconds=8, memory_bytes=512 * 1024**2)


def config(screen: bool = True) -> VerifyConfig:
    return VerifyConfig(fuzz_games=5, reference_games=2, screen=screen, limits=FAST)


def with_body(function: str, body: str) -> str:
    """The reference with `body` run at the start of `function` (for attacks mid-game)."""
    head = f"def {function}("
    assert head in REFERENCE
    start = REFERENCE.index(head)
    line_end = REFERENCE.index("\n", start)
    indented = "\n".join("    " + line for line in body.strip().splitlines())
    return REFERENCE[: line_end + 1] + indented + "\n" + REFERENCE[line_end + 1 :]


def worker_pids() -> set[int]:
    """Live sandbox workers of this test process: its children and the zygote's (not the zygote)."""
    parents = {os.getpid(), zygote_pid()} - {None}
    pids = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                state, parent = fields[0], int(fields[1])
                if parent in parents and state != "Z" and b"gamecwm.verifier.worker" in (proc / "cmdline").read_bytes():
                    pids.add(int(proc.name))
            except (OSError, IndexError, ValueError):
                continue
    return pids - {zygote_pid()}


@pytest.fixture(autouse=True)
def host_unchanged(tmp_path, monkeypatch):
    """Every attack: a secret in the environment, and afterwards no new worker process or file."""
    monkeypatch.setenv("GAMECWM_SECRET", SECRET)
    before = worker_pids()
    yield
    deadline = time.monotonic() + 2
    while worker_pids() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not worker_pids() - before, "a worker process survived"
    assert not list(Path("/tmp").glob("gamecwm-pwned*")), "a file appeared on the host"


def assert_failed(report, reason: str, elapsed_max: float = 12.0) -> None:
    text = json.dumps(report.to_json())
    assert SECRET not in text, "a secret from the parent environment leaked into the report"
    assert report.overall < 0.5 and report.reward < 0.5, report.to_json()
    assert report.elapsed_s < elapsed_max
    assert reason in (report.reason or "") or reason in text, f"expected {reason!r} in {report.reason!r}"


SCREENED = {
    "import os": ("import os\nos.system('touch /tmp/gamecwm-pwned')\n", "import of 'os' is not allowed"),
    "socket": ("import socket\nsocket.create_connection(('127.0.0.1', 9))\n", "import of 'socket'"),
    "subprocess": ("import subprocess\nsubprocess.run(['true'])\n", "import of 'subprocess'"),
    "ctypes": ("import ctypes\nctypes.string_at(0)\n", "import of 'ctypes'"),
    "open for writing": ("open('/tmp/gamecwm-pwned', 'w').write('x')\n", "use of 'open'"),
    "eval": ("eval(\"__import__('os').system('true')\")\n", "use of 'eval'"),
    "dunder escape": ("x = ().__class__.__bases__[0].__subclasses__()\n", "'__subclasses__'"),
    "globals escape": ("def f():\n    pass\nf.__globals__['x'] = 1\n", "'__globals__'"),
    "private module attribute": ("import random\nrandom._os.system('true')\n", "random._os"),
    "getattr with a dunder": ("x = getattr((), '__class__')\n", "use of 'getattr'"),
}


@pytest.mark.parametrize("name", SCREENED)
def test_static_screen_refuses_before_running(name):
    source, reason = SCREENED[name]
    report = verify(source + REFERENCE, PACK, config())
    assert_failed(report, reason, elapsed_max=1.0)
    assert report.reason.startswith("refused before execution")
    assert all(not c.passed and c.detail.startswith("not run") for t in report.tiers.values() for c in t.checks)


RUNTIME = {
    # the module itself attacks while loading
    "import os (guard)": ("import os\n", "import of 'os' is not allowed"),
    "import socket (guard)": ("import socket\n", "import of 'socket' is not allowed"),
    "no open builtin": ("open('/tmp/gamecwm-pwned', 'w')\n", "NameError"),
    "os.system (audit)": (
        "import random\nrandom._os.system('touch /tmp/gamecwm-pwned')\n",
        "os.system is not allowed",
    ),
    "fork (audit)": ("import random\nrandom._os.fork()\n", "os.fork is not allowed"),
    "file write (audit)": (
        "import random\nrandom._os.open('/tmp/gamecwm-pwned', random._os.O_CREAT | random._os.O_WRONLY)\n",
        "opening '/tmp/gamecwm-pwned' is not allowed",
    ),
    "read a host file (audit)": ("import random\nrandom._os.open('/etc/hostname', 0)\n", "is not allowed"),
    "execv (audit)": ("import random\nrandom._os.execv('/bin/true', ['true'])\n", "os.exec is not allowed"),
    "code object via introspection (audit)": (
        "def f():\n    pass\nf.__code__\n",
        "object.__getattr__ is not allowed",
    ),
    "frame via a traceback (audit)": (
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    e.__traceback__.tb_frame\n",
        "object.__getattr__ is not allowed",
    ),
    "sys.exit": ("raise SystemExit(3)\n", "SystemExit"),
    "os._exit": ("import random\nrandom._os._exit(3)\n", "exited with status 3"),
    "abort (native crash)": ("import random\nrandom._os.abort()\n", "SIGABRT"),
    "memory bomb": ("x = 'a' * (3 * 1024 ** 3)\n", "MemoryError"),
    "hang at import": ("while True:\n    pass\n", "timed out"),
    "infinite recursion": ("def f(n):\n    return f(n + 1)\n\n\nf(0)\n", "RecursionError"),
}


@pytest.mark.parametrize("name", RUNTIME)
def test_runtime_defences_hold_without_the_screen(name):
    source, reason = RUNTIME[name]
    report = verify(source + REFERENCE, PACK, config(screen=False))
    assert_failed(report, reason)


def test_hang_that_swallows_every_exception_is_killed():
    body = "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"
    report = verify(with_body("get_legal_actions", body), PACK, config())
    assert_failed(report, "timed out")


def test_mid_game_hang_fails_its_stage_and_later_stages_still_run():
    source = with_body("get_rewards", "if state['board'][2][2] != '.':\n    while True:\n        pass")
    report = verify(source, PACK, config())
    assert report.tiers["static"].score == 1.0  # the initial state is fine
    assert "timed out" in (report.reason or "")
    assert report.overall < 1.0


def test_environment_is_scrubbed():
    body = "return [k + '=' + v for k, v in random._os.environ.items()] or ['0,0']"
    source = "import random\n" + with_body("get_legal_actions", body)
    report = verify(source, PACK, config(screen=False))
    text = json.dumps(report.to_json())
    assert SECRET not in text and "GAMECWM_SECRET" not in text
    assert "HOME=" in text  # the worker really did read its own (scrubbed) environment


def test_output_flood_is_capped():
    source = with_body("get_legal_actions", "print('x' * 10_000_000)")
    report = verify(source, PACK, config())
    assert report.overall == 1.0  # printing is harmless once captured and capped
    assert report.elapsed_s < 12


def test_tampering_with_equality_does_not_hide_mutation():
    """States that claim to equal anything must not fool the immutability check."""
    tamper = """

class Liar(dict):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0


_original_initial_state, _original_apply_action = get_initial_state, apply_action


def get_initial_state():
    return Liar(_original_initial_state())


def apply_action(state, action):
    new_state = _original_apply_action(state, action)
    state["board"] = new_state["board"]  # mutates its input...
    return Liar(new_state)  # ...and hopes equality hides it
"""
    report = verify(REFERENCE + tamper, PACK, config())
    immutable = next(c for c in report.tiers["dynamics"].checks if c.name == "immutable")
    assert not immutable.passed and "changed the input's keys ['board']" in immutable.detail


def test_native_crash_mid_call_is_reported():
    """A worker that dies from a signal (as a native crash would) gives a reason naming it."""
    box = Sandbox(FAST)
    box.start()
    threading.Timer(0.3, lambda: os.kill(box.pid, signal.SIGSEGV)).start()
    with pytest.raises(SandboxError, match="segmentation fault"):
        box.call("load", source="while True:\n    pass\n", name="candidate")
    box.close()


@pytest.mark.parametrize("fork_server", [True, False], ids=["forked", "fresh-interpreter"])
def test_both_kinds_of_worker_start_isolated_and_clean_up(fork_server):
    box = Sandbox(FAST, fork_server=fork_server)
    box.start()
    workdir = Path(box.workdir)
    assert workdir.is_dir()
    reply = box.call("load", source="import random\nraise ValueError(sorted(random._os.environ))\n", name="c")
    assert "HOME" in reply["error"] and "GAMECWM_SECRET" not in reply["error"]
    reply = box.call("load", source="import random\nraise ValueError(random._os.getcwd())\n", name="c")
    assert str(workdir) in reply["error"]
    box.close()
    assert not workdir.exists()
