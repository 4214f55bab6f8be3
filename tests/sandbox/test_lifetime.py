"""The zygote's lifetime: it outlives the thread that started it, and not the process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from gamecwm.sandbox import Sandbox
from gamecwm.sandbox.zygote import shared_zygote


def test_the_zygote_outlives_the_thread_that_started_it():
    def start() -> None:
        with Sandbox(isolation="auto") as box:
            box.call("load", source="x = 1\n", name="c")

    shared_zygote("auto").kill()  # the next sandbox starts a new zygote, from this short-lived thread
    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    zygote = shared_zygote("auto")
    time.sleep(0.3)
    assert zygote.alive()


def test_a_killed_caller_leaves_no_sandbox_behind():
    code = (
        "from gamecwm.sandbox import Sandbox\n"
        "box = Sandbox(isolation='auto'); box.start()\n"
        "box.call('load', source='x = 1\\n', name='c')\n"
        "print(box.zygote.process.pid, flush=True)\n"
        "import time; time.sleep(60)\n"
    )
    caller = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    zygote = int(caller.stdout.readline())
    os.kill(caller.pid, signal.SIGKILL)
    caller.wait()
    deadline = time.monotonic() + 5
    while Path(f"/proc/{zygote}").exists() and time.monotonic() < deadline:
        try:  # reap it if it became ours (it has no parent now)
            os.waitpid(zygote, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.05)
    state = (
        Path(f"/proc/{zygote}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if Path(f"/proc/{zygote}").exists()
        else "gone"
    )
    assert state in ("gone", "Z"), f"the zygote outlived its caller (state {state})"
