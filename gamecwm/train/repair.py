"""Repair rows: the conversation of a repair round, ending in the reference that fixes the bug.

    >>> from gamecwm.games import get_pack
    >>> rows = repair_rows(get_pack("tic_tac_toe"), count=1, seed=0)  # verifies a few mutants (sandboxed)
    >>> [m["role"] for m in rows[0]["messages"]]
    ['system', 'user', 'assistant', 'user', 'assistant']

Each row starts from a mutant of the pack's reference (`mutants.py`) that the verifier scores below
1.0 (with the GRPO reward's settings), puts it in the model's mouth, and shows the failing checks
exactly as `gamecwm generate` shows them in a repair round (`runtime.generate.repair_messages`); the
answer is the reference in one fenced block, which verifies at 1.0. So the model learns the repair
step it will be asked to do at inference, on its own kind of mistakes.
"""

from __future__ import annotations

import random
from typing import Any

from gamecwm.games import GamePack
from gamecwm.runtime.generate import Draft, repair_messages
from gamecwm.train.mutants import mutation_sites


def answer(pack: GamePack) -> str:
    """The reference module of `pack` in one fenced Python block (every SFT row's target)."""
    return f"```python\n{pack.reference_source.rstrip()}\n```"


def repair_rows(pack: GamePack, count: int, seed: int, tries: int = 4) -> list[dict[str, Any]]:
    """Up to `count` repair rows for `pack`, from mutants drawn with `seed` (at most `tries` x `count`
    verified; a mutant the verifier cannot tell from the reference is not a bug it can report)."""
    from gamecwm.verifier import VerifyConfig, verify_many

    source = pack.reference_source
    sites = mutation_sites(source)
    random.Random(f"{seed}:{pack.id}").shuffle(sites)
    chosen = sites[: count * tries]
    mutants = [site.apply(source) for site in chosen]
    reports = verify_many([(m, pack, f"{pack.id} mutant") for m in mutants], VerifyConfig.for_reward(seed=seed))
    rows = []
    for mutant, report in zip(mutants, reports, strict=True):
        if report.reward < 1.0 and len(rows) < count:
            draft = Draft("sample", 1, seed, f"```python\n{mutant}```", mutant, report)
            rows.append({"messages": [*repair_messages(pack, draft), {"role": "assistant", "content": answer(pack)}]})
    return rows
