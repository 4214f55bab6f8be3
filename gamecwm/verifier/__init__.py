"""The verifier: sandboxed four-tier verification, paper-comparable scores and the GRPO reward.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.verifier import reward, verify
    >>> pack = get_pack("tic_tac_toe")
    >>> verify("def get_initial_state():\\n    return {}\\n", pack).overall < 0.5
    True

`verify` returns a `Report` (tiers of named checks, `overall`, `reward`, `to_json()`); `reward` is the
float GRPO wants, with the reward setting of 10 fuzz games.
"""

from __future__ import annotations

from typing import Any

from gamecwm.games import GamePack
from gamecwm.verifier.report import Check, Report, RewardConfig, Tier
from gamecwm.verifier.sandbox import Limits, Sandbox, SandboxError
from gamecwm.verifier.verify import VerifyConfig, verify, verify_many

__all__ = [
    "Check",
    "Limits",
    "Report",
    "RewardConfig",
    "Sandbox",
    "SandboxError",
    "Tier",
    "VerifyConfig",
    "reward",
    "verify",
    "verify_many",
]


def reward(source: str, pack: GamePack, config: VerifyConfig | None = None, **overrides: Any) -> float:
    """The GRPO reward of one candidate (10 fuzz games unless `config` says otherwise)."""
    return verify(source, pack, config or VerifyConfig.for_reward(**overrides)).reward
