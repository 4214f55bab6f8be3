"""A hostile corpus: each attack ends within its limits with a failing score, and nothing on the host
changes (no file appears, no file's metadata moves, a sentinel process lives on with its limits, no
worker survives, no secret of the parent leaks into a report).

Attacks run with the static screen (refused before running) and with it off, so that the runtime
layers are tested alone: guarded imports and builtins, the audit hook, the limits, the seccomp filter
and the namespaces (`gamecwm.sandbox`). `ESCAPE` is a real way out of the in-process layers once the
screen is off (a function's `__globals__`), so the attacks that follow it meet the OS layers.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gamecwm.games import get_pack
from gamecwm.sandbox import Limits, Sandbox, SandboxError, detect
from gamecwm.sandbox.zygote import zygote_pids
from gamecwm.verifier import VerifyConfig, verify, verify_many
from gamecwm.verifier.render import render_report

PACK = get_pack("tic_tac_toe")
REFERENCE = PACK.reference_source
SECRET = "gamecwm-test-secret-5d41402a"
FAST = Limits(call_seconds=3, candidate_seconds=8, cpu_seconds=8, memory_bytes=512 * 1024**2)
ESCAPE = "import random\nos = random.Random.seed.__globals__['_os']\nsys = os.sys\n"
FULL = detect().full


def config(screen: bool = True, **overrides) -> VerifyConfig:
    return VerifyConfig(**{"fuzz_games": 5, "reference_games": 2, "screen": screen, "limits": FAST, **overrides})


def with_body(function: str, body: str, source: str = REFERENCE) -> str:
    """`source` with `body` run at the start of `function` (for attacks mid-game)."""
    head = f"def {function}("
    start = source.index(head)
    line_end = source.index("\n", start)
    indented = "\n".join("    " + line for line in body.strip().splitlines())
    return source[: line_end + 1] + indented + "\n" + source[line_end + 1 :]


def worker_pids() -> set[int]:
    """Live processes below this test process, other than the zygotes' own wrappers."""
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                if fields[0] != "Z":
                    children.setdefault(int(fields[1]), []).append(int(proc.name))
            except (OSError, IndexError, ValueError):
                continue
    found, todo = set(), list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo += children.get(pid, [])
    return found


@pytest.fixture
def sentinel(tmp_path):
    """A host process and a host file that no candidate may touch."""
    process = subprocess.Popen(["sleep", "120"])
    marker = tmp_path / "marker.txt"
    marker.write_text("untouched")
    os.utime(marker, (1_000_000_000, 1_000_000_000))
    limits = Path(f"/proc/{process.pid}/limits").read_text()
    yield process, marker
    assert process.poll() is None, "the sentinel process was killed"
    assert Path(f"/proc/{process.pid}/status").read_text().split("State:")[1].split()[0] != "T", "it was stopped"
    assert Path(f"/proc/{process.pid}/limits").read_text() == limits, "its limits were changed"
    assert marker.read_text() == "untouched" and marker.stat().st_mtime == 1_000_000_000, "the marker changed"
    process.kill()
    process.wait()


@pytest.fixture(autouse=True)
def host_unchanged(monkeypatch):
    """Every attack: a secret in the environment, and afterwards no new worker process or file."""
    monkeypatch.setenv("GAMECWM_SECRET", SECRET)
    before = worker_pids()
    yield
    deadline = time.monotonic() + 3
    extra = lambda: {p for p in worker_pids() - before if not _is_zygote(p)}  # noqa: E731
    while extra() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not extra(), "a worker process survived"
    assert not list(Path("/tmp").glob("gamecwm-pwned*")), "a file appeared on the host"


def _is_zygote(pid: int) -> bool:
    """The shared zygote and everything in its sandbox (bwrap, its init) outlive single tests."""
    zygotes = zygote_pids()
    try:
        while pid > 1:
            if pid in zygotes:
                return True
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return False
    return False


def assert_failed(report, reason: str = "", elapsed_max: float = 15.0) -> None:
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
    "private module attribute": ("import random\nrandom._os.system('true')\n", "'_os'"),
    "getattr with a dunder": ("x = getattr((), '__class__')\n", "use of 'getattr'"),
    "module through an allowed module": ("import dataclasses\nx = dataclasses.sys.modules\n", "'sys'"),
    "typing.sys": ("import typing as t\nx = t.sys\n", "'sys'"),
    "from random import _os": ("from random import _os\n", "importing '_os'"),
    "attrgetter": ("import operator\nx = operator.attrgetter('_os')\n", "'attrgetter'"),
    "from operator import methodcaller": ("from operator import methodcaller\n", "'methodcaller'"),
    "string.Formatter": ("import string\nx = string.Formatter().get_field\n", "'Formatter'"),
    "__fspath__ path object": (
        "class P:\n    def __fspath__(self):\n        return '/etc/passwd'\n",
        "'__fspath__'",
    ),
}


@pytest.mark.parametrize("name", SCREENED)
def test_static_screen_refuses_before_running(name):
    source, reason = SCREENED[name]
    report = verify(source + REFERENCE, PACK, config())
    assert_failed(report, reason, elapsed_max=2.0)
    assert report.reason.startswith("refused before execution")
    assert all(not c.passed and c.detail.startswith("not run") for t in report.tiers.values() for c in t.checks)


RUNTIME = {
    # the module itself attacks while loading
    "import os (guard)": ("import os\n", "import of 'os' is not allowed"),
    "import socket (guard)": ("import socket\n", "import of 'socket' is not allowed"),
    "no open builtin": ("open('/tmp/gamecwm-pwned', 'w')\n", "NameError"),
    "private attribute (module view)": ("import random\nrandom._os.system('touch /tmp/gamecwm-pwned')\n", "_os"),
    "dataclasses.sys (module view)": ("import dataclasses\nx = dataclasses.sys.modules\n", "sys"),
    "typing.sys (module view)": ("import typing\nx = typing.sys\n", "sys"),
    "from random import _os (module view)": ("from random import _os\n", "_os"),
    "attrgetter (module view)": ("import operator\nx = operator.attrgetter('_os')\n", "attrgetter"),
    "os.system (audit)": (ESCAPE + "os.system('touch /tmp/gamecwm-pwned')\n", "os.system is not allowed"),
    "fork (audit)": (ESCAPE + "os.fork()\n", "os.fork is not allowed"),
    "file write (audit)": (
        ESCAPE + "os.open('/tmp/gamecwm-pwned', os.O_CREAT | os.O_WRONLY)\n",
        "opening '/tmp/gamecwm-pwned' is not allowed",
    ),
    "path object that changes its answer (audit)": (
        ESCAPE + "class P:\n    n = 0\n    def __fspath__(self):\n        P.n += 1\n"
        "        return '/tmp/gamecwm-pwned' if P.n == 1 else 'x'\n"
        "sys.modules['io'].FileIO(P(), 'w')\n",
        "opening a P path is not allowed",
    ),
    "read a host file (audit)": (ESCAPE + "os.open('/etc/hostname', 0)\n", "is not allowed"),
    "execv (audit)": (ESCAPE + "os.execv('/bin/true', ['true'])\n", "os.exec is not allowed"),
    "code object via introspection (audit)": ("def f():\n    pass\nf.__code__\n", "object.__getattr__ is not allowed"),
    "frame via a traceback (audit)": (
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    e.__traceback__.tb_frame\n",
        "object.__getattr__ is not allowed",
    ),
    "sys.exit": ("raise SystemExit(3)\n", "SystemExit"),
    "os._exit": (ESCAPE + "os._exit(3)\n", "exited with status 3"),
    "abort (native crash)": (ESCAPE + "os.abort()\n", "SIGABRT"),
    "memory bomb": ("x = 'a' * (3 * 1024 ** 3)\n", "MemoryError"),
    "hang at import": ("while True:\n    pass\n", "timed out"),
    "infinite recursion": ("def f(n):\n    return f(n + 1)\n\n\nf(0)\n", "RecursionError"),
}


@pytest.mark.parametrize("name", RUNTIME)
def test_runtime_defences_hold_without_the_screen(name):
    source, reason = RUNTIME[name]
    report = verify(source + REFERENCE, PACK, config(screen=False))
    assert_failed(report, reason)


def os_attacks(pid: int, marker: Path) -> dict[str, str]:
    """Attacks on the host through the OS (after `ESCAPE`), each aimed at the sentinel or the marker."""
    return {
        "kill a host process": f"os.kill({pid}, 9)",
        "pidfd signal": f"sys.modules['signal'].pidfd_send_signal(os.pidfd_open({pid}), 9)",
        "SIGSTOP everyone": "for p in range(1, 300):\n    try:\n        os.kill(p, 19)\n    except OSError:\n"
        "        pass",
        "prlimit another process": f"sys.modules['resource'].prlimit({pid}, 7, (1, 1))",
        "utime a host file": f"os.utime({str(marker)!r}, (0, 0))",
        "setxattr a host file": f"os.setxattr({str(marker)!r}, 'user.x', b'1')",
        "chroot": "os.chroot('/tmp')",
        "setuid": "os.setuid(0)",
        "parent environment": f"raise ValueError(os.read(os.open('/proc/{os.getpid()}/environ', 0), 99999))",
        "raw syscall via ctypes": f"sys.modules['ctypes'].CDLL(None).kill({pid}, 9)",
    }


@pytest.mark.parametrize("attack", list(os_attacks(1, Path("/x"))))
def test_os_level_attacks_have_no_host_effect(attack, sentinel):
    process, marker = sentinel
    body = os_attacks(process.pid, marker)[attack]
    report = verify(ESCAPE + body + "\n" + REFERENCE, PACK, config(screen=False))
    if "except" in body:  # it swallows its own refusals: harmless, and the game itself is right
        assert report.overall == 1.0
    else:
        assert_failed(report)
    # and mid-game, where a swallowed error would let the game go on
    mid = with_body("get_legal_actions", f"try:\n    {body.splitlines()[0]}\nexcept BaseException:\n    pass")
    if "\n" not in body:
        report = verify(ESCAPE + mid, PACK, config(screen=False))
        assert report.overall == 1.0, report.to_json()  # harmless once refused: the game itself is right


@pytest.mark.skipif(not FULL, reason=f"no OS isolation here: {detect().describe()}")
def test_workers_run_as_nobody_in_their_own_namespaces():
    repo_file = str(Path(__file__).resolve().parents[2] / "pyproject.toml")  # outside the package: not mounted
    probe = ESCAPE + (
        f"raise ValueError(repr((os.getuid(), os.path.exists('/proc/1'), os.path.exists({repo_file!r}),"
        " os.path.exists('/etc/passwd'))))\n"
    )
    with Sandbox(FAST) as box:
        assert box.isolation.uid == 65534
        error = box.call("load", source=probe, name="c")["error"]
    assert "(65534, False, False, False)" in error


FORGERS = {
    "patch random.Random.choice": "import random\nrandom.Random.choice = lambda self, seq: seq[0]\n",
    "patch the probes' draws": ESCAPE + "sys.modules['gamecwm.verifier.probes'].pick = lambda draw, n: 0\n",
    "patch the reply function": ESCAPE
    + "w = sys.modules['gamecwm.sandbox.worker']\nsend = w.Worker.send\n"
    + "w.Worker.send = lambda self, m: send(self, {'compiled': True, 'error': None, 'result': {'j': []}})\n",
    "fabricate the probes' facts": ESCAPE
    + "p = sys.modules['gamecwm.verifier.probes']\n"
    + "def fuzz(game, seeds, max_steps=500):\n"
    + "    return [{'steps': [[0, 1, 0, 'x', True, None, True], [-4, 0, None, None, True, None, False]], 'crash': None}"
    + " for _ in seeds]\n"
    + "def scenarios(game, requests):\n"
    + "    return [{'failed_step': None, 'current_player': 0, 'rewards': [0.0, 0.0], 'legal': [],"
    + " 'illegal_rejected': True} for _ in requests]\n"
    + "def trajectories(game, trajectories):\n"
    + "    return [[[0, [], [0.0, 0.0]]] * (len(t) + 1) for t in trajectories]\n"
    + "p.SANDBOX_OPS.update(fuzz=fuzz, scenarios=scenarios, trajectories=trajectories)\n",
}
# A wrong game: tic-tac-toe whose apply_action crashes unless the first legal move is played.
WRONG = with_body("apply_action", "if action != sorted(get_legal_actions(state))[0]:\n    raise RuntimeError('bug')")


@pytest.mark.parametrize("name", FORGERS)
def test_a_candidate_cannot_forge_its_score(name):
    control = verify(WRONG, PACK, config(screen=False))
    forged = verify(FORGERS[name] + WRONG, PACK, config(screen=False))
    assert control.overall < 0.8  # the bug is caught without the forgery...
    if name != "fabricate the probes' facts":
        assert forged.overall <= control.overall and forged.reward <= control.reward  # ...and with it
        return
    # Past every in-process layer, a candidate can speak for itself (its types, its own consistency),
    # but the tiers judged against the pack's ground truth stay out of its reach.
    assert forged.tiers["scenarios"].score <= control.tiers["scenarios"].score < 0.5
    assert forged.tiers["trajectory"].score == 0.0
    assert forged.overall < 0.8


def test_neighbours_in_a_batch_are_unharmed_and_every_file_gets_a_report(sentinel, tmp_path):
    process, marker = sentinel
    hostile = [ESCAPE + body + "\n" + REFERENCE for body in os_attacks(process.pid, marker).values()]
    killer = (
        ESCAPE
        + "for p in range(1, 400):\n    for s in (19, 9):\n        try:\n            os.kill(p, s)\n"
        + ("        except OSError:\n            pass\n")
    )
    hostile += [with_body("get_legal_actions", killer.replace("\n", "\n"), ESCAPE + REFERENCE), killer + REFERENCE]
    items = []
    for index, source in enumerate(hostile):
        items.append((source, PACK, f"hostile_{index}"))
        items.append((REFERENCE, PACK, f"reference_{index}"))
    reports = list(verify_many(items, config(screen=False), jobs=2))
    assert [r.file for r in reports] == [f for _, _, f in items]
    for report in reports:
        if report.file.startswith("reference"):
            assert report.overall == 1.0 and report.reward == 1.0, report.to_json()
        assert SECRET not in json.dumps(report.to_json())


def test_the_cli_finishes_with_a_report_for_every_file(tmp_path, sentinel):
    process, marker = sentinel
    files = []
    for index, body in enumerate(["os.kill(1, 19)", "while True:\n    pass", "raise SystemExit(0)"]):
        path = tmp_path / f"attack_{index}.py"
        path.write_text(ESCAPE + body + "\n" + REFERENCE)
        files.append(path)
    (tmp_path / "ok.py").write_text(REFERENCE)
    files.append(tmp_path / "ok.py")
    cmd = [sys.executable, "-m", "gamecwm.cli", "verify", *map(str, files), "--game", "tic_tac_toe"]
    run = subprocess.run([*cmd, "--fuzz-games", "3", "--jobs", "2", "--json"], capture_output=True, text=True,
                         timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(f) for f in files]
    assert lines[-1]["overall"] == 1.0 and all(line["overall"] < 0.5 for line in lines[:-1])


def test_malformed_answers_fail_their_checks_not_the_caller():
    deep = "def deep():\n    x = []\n    for _ in range(3000):\n        x = [x]\n    return x\n"
    cases = {
        "deeply nested observation": with_body("get_observations", "return [deep(), deep()]", deep + REFERENCE),
        "NaN rewards": with_body("get_rewards", "return [float('nan'), float('inf')]"),
        "unsortable legal actions": with_body("get_legal_actions", "return ['a', 1, None]"),
        "a set of legal actions": with_body("get_legal_actions", "return {'0,0', '1,1'}"),
        "forged deep reply": ESCAPE
        + "w = sys.modules['gamecwm.sandbox.worker']\nimport struct\n"
        + "def send(self, m):\n    d = b'[' * 3000 + b']' * 3000\n"
        + "    self.result.write(struct.pack('>I', len(d)) + d)\nw.Worker.send = send\n"
        + REFERENCE,
        "forged NaN reply": ESCAPE
        + "w = sys.modules['gamecwm.sandbox.worker']\nimport struct\n"
        + "def send(self, m):\n    d = b'{\"compiled\": NaN}'\n"
        + "    self.result.write(struct.pack('>I', len(d)) + d)\nw.Worker.send = send\n"
        + REFERENCE,
    }
    items = [(source, PACK, name) for name, source in cases.items()] + [(REFERENCE, PACK, "reference")]
    reports = list(verify_many(items, config(screen=False), jobs=2))
    assert [r.file for r in reports] == [f for _, _, f in items]
    for report in reports[1:-1]:  # a deep observation is legal, it just never crosses the boundary whole
        assert report.overall < 1.0, report.file
    assert reports[-1].overall == 1.0


def test_markup_and_control_characters_from_a_candidate_are_shown_as_text():
    from rich.console import Console

    evil = "[red]x[/red] [link=http://e.vil]y[/link] \x1b[2J\x1b]0;title\x07 \u202e"
    report = verify(with_body("get_legal_actions", f"raise ValueError({evil!r})"), PACK, config())
    text = json.dumps(report.to_json())
    assert "\\u001b" not in text and "\\u202e" not in text and "\\u0007" not in text
    console = Console(record=True, width=300, color_system=None)
    console.print(render_report(report))
    shown = console.export_text()
    assert "[red]x[/red]" in shown and "\x1b" not in shown


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
    body = "return [k + '=' + v for k, v in os.environ.items()] or ['0,0']"
    source = ESCAPE + with_body("get_legal_actions", body)
    report = verify(source, PACK, config(screen=False))
    text = json.dumps(report.to_json())
    assert SECRET not in text and "GAMECWM_SECRET" not in text
    assert "HOME=" in text  # the worker really did read its own (scrubbed) environment


def test_output_flood_is_capped():
    source = with_body("get_legal_actions", "print('x' * 10_000_000)")
    report = verify(source, PACK, config())
    assert report.overall == 1.0  # printing is harmless once captured and capped
    assert report.elapsed_s < 15


def test_tampering_with_equality_does_not_hide_mutation():
    """States that claim to equal anything must not fool the immutability check."""
    tamper = """

class Liar(dict):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0

    def items(self):
        return []


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
    threading.Timer(0.3, lambda: signal.pidfd_send_signal(box.pidfd, signal.SIGSEGV)).start()
    with pytest.raises(SandboxError, match="segmentation fault"):
        box.call("load", source="while True:\n    pass\n", name="candidate")
    box.close()


def test_a_zygote_lost_mid_verification_is_replaced_without_blaming_the_candidate():
    from gamecwm.sandbox.zygote import shared_zygote

    zygote = shared_zygote("auto")
    timer = threading.Timer(0.3, zygote.kill)
    timer.start()
    pack = get_pack("connect4")  # 3,000 games take a few seconds: the zygote dies under them
    report = verify(pack.reference_source, pack, config(fuzz_games=3000, limits=Limits(call_seconds=30)))
    timer.join()
    assert report.overall == 1.0, report.to_json()
    assert not zygote.alive() and shared_zygote("auto") is not zygote


def test_isolation_required_refuses_without_it(monkeypatch, tmp_path):
    from gamecwm.cli import main
    from gamecwm.sandbox import Isolation, IsolationUnavailable, isolation

    monkeypatch.setattr(isolation, "detect", lambda: Isolation("seccomp", "no bwrap (test)"))
    with pytest.raises(IsolationUnavailable, match="seccomp"):
        verify(REFERENCE, PACK, config(isolation="required"))
    path = tmp_path / "ok.py"
    path.write_text(REFERENCE)
    assert main(["verify", str(path), "--game", "tic_tac_toe", "--isolation", "required"]) == 2
    report = verify(REFERENCE, PACK, config(isolation="off"))
    assert report.overall == 1.0 and report.isolation.startswith("process")


def test_workdir_is_private_and_cleaned_up():
    source = ESCAPE + "os.open('scratch.txt', os.O_CREAT | os.O_WRONLY)\nraise ValueError(os.getcwd())\n"
    with Sandbox(FAST) as box:
        error = box.call("load", source=source, name="c")["error"]
        workdir = error.split(": ", 1)[1]
    assert "worker-" in workdir or "gamecwm-sandbox-" in workdir
    if not FULL:  # without namespaces the workdir is a host folder, removed on close
        assert not Path(workdir).exists()
