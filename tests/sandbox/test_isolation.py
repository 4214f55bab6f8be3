"""Isolation levels and the commands that start a zygote."""

from __future__ import annotations

import os
import shutil

import pytest

from gamecwm.sandbox import Isolation, IsolationUnavailable, Sandbox, isolation
from gamecwm.sandbox.isolation import LEVELS, SANDBOX_UID, zygote_launch


def test_the_launch_for_an_ordinary_user_runs_bwrap_itself_as_nobody_inside(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    launch = zygote_launch(LEVELS[0], ["5", "[]"])
    argv = launch.argv
    assert "bwrap" in argv[0] and "unshare" not in argv and not launch.cleanup
    assert argv[argv.index("--uid") + 1] == str(SANDBOX_UID)
    for flag in ("--unshare-all", "--disable-userns", "--clearenv", "--new-session"):
        assert flag in argv
    assert "/proc" not in argv and "--bind" not in argv  # no /proc, nothing writable from the host


def test_the_launch_for_root_drops_to_nobody_before_bwrap(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    launch = zygote_launch(LEVELS[0], ["5", "[]"])
    try:
        argv = launch.argv
        assert argv[:2] == ["unshare", "--mount"]
        script = argv[argv.index("-c") + 1]
        assert f"setpriv --reuid={SANDBOX_UID} --regid={SANDBOX_UID} --clear-groups" in script
        assert script.index("mount --bind") < script.index("setpriv")
    finally:
        for path in launch.cleanup:
            shutil.rmtree(path)


def test_levels_below_namespaces_start_a_plain_interpreter():
    for level in LEVELS[1:]:
        argv = zygote_launch(level, ["5", "[]"]).argv
        assert "-I" in argv and "-S" in argv and not any("bwrap" in a for a in argv)


def test_modes(monkeypatch):
    monkeypatch.setattr(isolation, "detect", lambda: Isolation("process", "test"))
    assert isolation.resolve("off").level == "process"
    assert isolation.resolve("auto").level == "process"
    with pytest.raises(IsolationUnavailable, match="process"):
        isolation.resolve("required")
    with pytest.raises(ValueError, match="unknown isolation mode"):
        isolation.resolve("maybe")


@pytest.mark.parametrize("mode", ["off", "auto"])
def test_every_level_hosts_a_module_and_says_which_it_is(mode):
    with Sandbox(isolation=mode) as box:
        assert box.call("load", source="x = 1\n", name="c") == {"compiled": True, "error": None}
        assert box.isolation.level in LEVELS
        if mode == "off":
            assert box.isolation.level == "process"


def test_detect_names_the_machine_level():
    found = isolation.detect()
    assert found.level in LEVELS
    assert found.full or found.reason  # short of namespaces, it says why
