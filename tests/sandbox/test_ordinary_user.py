"""The sandbox for a caller that is not root: bwrap runs as that user, without the root staging.

CI runs as root, so this test re-runs a reference and an attack as uid 65534, with this interpreter or,
when that one lies under a folder uid 65534 cannot enter (a 0700 /root), the system's Python of the
same version with this environment's packages on its path; where neither works, it says why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json
from gamecwm.games import get_pack
from gamecwm.verifier import VerifyConfig, verify
pack = get_pack("tic_tac_toe")
attack = "import random\\nos = random.Random.seed.__globals__['_os']\\nos.kill(1, 9)\\n" + pack.reference_source
config = VerifyConfig(fuzz_games=5, reference_games=2)
reference = verify(pack.reference_source, pack, config)
hostile = verify(attack, pack, VerifyConfig(fuzz_games=5, reference_games=2, screen=False))
print(json.dumps([reference.overall, reference.isolation, hostile.overall, hostile.reason]))
"""


SITE = str(Path(sysconfig.get_paths()["purelib"]))


def _as_nobody(*argv: str) -> subprocess.CompletedProcess:
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "PYTHONPATH": f"{ROOT}:{SITE}", "LANG": "C.UTF-8"}
    return subprocess.run([*drop, *argv], capture_output=True, text=True, env=env, cwd="/tmp", timeout=300)


def _interpreter() -> tuple[str | None, str]:
    """A Python uid 65534 can run with this checkout and its packages, or None and why not."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    why = ""
    for python in dict.fromkeys([sys.executable, f"/usr/bin/{version}"]):
        if not os.path.exists(python):
            continue
        probe = _as_nobody(python, "-c", "from gamecwm.sandbox import detect; assert detect().full, detect()")
        if probe.returncode == 0:
            return python, ""
        why += f"{python}: {probe.stderr.strip()[-160:]}; "
    return None, why or "no interpreter found"


@pytest.mark.skipif(os.geteuid() != 0, reason="the suite already runs as an ordinary user")
@pytest.mark.skipif(shutil.which("setpriv") is None, reason="util-linux's setpriv is not installed")
def test_an_ordinary_user_gets_the_same_sandbox():
    python, why = _interpreter()
    if python is None:
        pytest.skip(f"uid 65534 cannot run an interpreter with this checkout: {why}")
    run = _as_nobody(python, "-c", SCRIPT)
    assert run.returncode == 0, run.stderr
    reference, isolation, hostile, reason = json.loads(run.stdout.splitlines()[-1])
    assert reference == 1.0 and isolation.startswith("namespaces+seccomp (uid 65534)")
    assert hostile < 0.5 and "os.kill is not allowed" in reason
