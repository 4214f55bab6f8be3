"""A fake generation backend with known proportions of references, mutants, broken code and no code."""

from __future__ import annotations

from gamecwm.games import get_pack
from gamecwm.verifier import VerifyConfig

GAMES = ("tic_tac_toe", "kuhn_poker")  # a perfect- and an imperfect-information game, in catalog order
# Few fuzz and reference games: every verdict here is deterministic (seeded), just cheaper than 100/20.
CONFIG = VerifyConfig(fuzz_games=5, reference_games=3)
BOOTSTRAP = 2000


def _mutate(game: str, old: str, new: str) -> str:
    source = get_pack(game).reference_source
    assert source.count(old) == 1, f"the {game} mutant no longer matches its reference"
    return source.replace(old, new)


# Genuine rule bugs: tic-tac-toe without wins (scenarios and trajectories fail), Kuhn poker whose
# resample_history swaps the two players' cards (the information tier fails).
MUTANTS = {
    "tic_tac_toe": _mutate(
        "tic_tac_toe", "winner = player if _completes_line(board, row, col) else None", "winner = None"
    ),
    "kuhn_poker": _mutate(
        "kuhn_poker",
        "cards = [own, other] if player_id == 0 else [other, own]",
        "cards = [other, own] if player_id == 0 else [own, other]",
    ),
}
BROKEN = "def get_initial_state(:\n    return {}\n"
KINDS = ("reference", "mutant", "broken", "no_code")  # sample k is of kind KINDS[k % 4]


def code_of(game: str, kind: str) -> str | None:
    """The module a sample of `kind` holds (None: the reply had no code)."""
    return {"reference": get_pack(game).reference_source, "mutant": MUTANTS[game], "broken": BROKEN, "no_code": None}[
        kind
    ]


def reply_for(game: str, kind: str) -> str:
    code = code_of(game, kind)
    return "I am not able to write this game." if code is None else f"Here it is.\n```python\n{code}```\n"


def game_in(messages: list[dict[str, str]]) -> str:
    """Which game a prompt asks for (the fake reads the rules' title)."""
    prompt = messages[-1]["content"]
    found = [g for g in GAMES if get_pack(g).rules.splitlines()[0] in prompt]
    assert len(found) == 1, found
    return found[0]


class FakeBackend:
    """Sample k (seed = seed + k, seed 0 in tests) of a game is KINDS[k % 4]; counts what it was asked."""

    name = "fake"

    def __init__(self, batch_size: int = 3, fail_after: int | None = None) -> None:
        self.batch_size = batch_size
        self.fail_after = fail_after  # raise on the call after this many calls (an interrupted run)
        self.calls: list[list[tuple[str, int]]] = []

    def generate(self, messages_list, seeds, temperature, max_tokens):
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise KeyboardInterrupt("interrupted")
        requests = [(game_in(m), seed) for m, seed in zip(messages_list, seeds, strict=True)]
        self.calls.append(requests)
        return [reply_for(game, KINDS[seed % 4]) for game, seed in requests]

    @property
    def conversations(self) -> int:
        return sum(len(call) for call in self.calls)


class CountingVerify:
    """The real verifier, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, source, pack, config=None, file="<candidate>"):
        from gamecwm.verifier import verify

        self.calls += 1
        return verify(source, pack, config, file=file)


def numpy_interval(values: list[float], level: float, resamples: int, seed: int = 0) -> tuple[float, float]:
    """The documented bootstrap, written independently: resample with random.Random(seed).choices, then
    numpy's percentile of the resampled means."""
    import random

    import numpy as np

    rng = random.Random(seed)
    means = [float(np.mean(rng.choices(values, k=len(values)))) for _ in range(resamples)]
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)
