"""The sandbox: where untrusted GameCWM code runs, for the verifier, the search, the arena, the TUI and
the GRPO reward alike.

    >>> from gamecwm.sandbox import Sandbox
    >>> with Sandbox() as box:
    ...     box.call("load", source="x = 1\\n", name="candidate")
    {'compiled': True, 'error': None}

Layers, outermost first: OS isolation (`isolation.py`: bubblewrap namespaces as uid 65534, a seccomp
filter per worker), resource limits and wall-clock deadlines enforced from outside (`client.py`), a
bounded wire format (`codec.py`), and in-process guards (`screen.py` before anything runs; guarded
imports, builtins and an audit hook in `worker.py`). This package imports neither the verifier nor
the search: they bring their ops as plugins, which the zygote imports before any candidate exists;
the verifier's take their random draws from the caller's seeds, and every verdict is made in the caller.
"""

from gamecwm.sandbox.client import Sandbox, SandboxError, describe_exit
from gamecwm.sandbox.isolation import Isolation, IsolationUnavailable, detect, resolve
from gamecwm.sandbox.limits import Limits
from gamecwm.sandbox.untrusted import UntrustedModule

__all__ = [
    "Isolation",
    "IsolationUnavailable",
    "Limits",
    "Sandbox",
    "SandboxError",
    "UntrustedModule",
    "describe_exit",
    "detect",
    "resolve",
]
