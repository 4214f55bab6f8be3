"""The verifier: sandboxed four-tier verification, strict and published scores, and the GRPO reward.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.verifier import reward, verify
    >>> pack = get_pack("tic_tac_toe")
    >>> verify("def get_initial_state():\\n    return {}\\n", pack).overall < 0.5
    True

`verify` returns a `Report` (tiers of named checks, `overall`, `reward`, `to_json()`); `reward` is the
float GRPO wants, with the reward setting of 10 fuzz games.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gamecwm.games import GamePack
    from gamecwm.verifier.pipeline import VerifyConfig

# Imported on first use (PEP 562), so that `import gamecwm.verifier` stays cheap for the CLI.
_EXPORTS = {
    "Check": "gamecwm.verifier.report",
    "Report": "gamecwm.verifier.report",
    "RewardConfig": "gamecwm.verifier.report",
    "Tier": "gamecwm.verifier.report",
    "Limits": "gamecwm.sandbox",
    "Sandbox": "gamecwm.sandbox",
    "SandboxError": "gamecwm.sandbox",
    "VerifyConfig": "gamecwm.verifier.pipeline",
    "verify": "gamecwm.verifier.pipeline",
    "verify_many": "gamecwm.verifier.pipeline",
}
__all__ = [*_EXPORTS, "reward"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'gamecwm.verifier' has no attribute {name!r}")


def reward(source: str, pack: GamePack, config: VerifyConfig | None = None, **overrides: Any) -> float:
    """The GRPO reward of one candidate (10 fuzz games unless `config` says otherwise)."""
    from gamecwm.verifier.pipeline import VerifyConfig, verify

    return verify(source, pack, config or VerifyConfig.for_reward(**overrides)).reward
