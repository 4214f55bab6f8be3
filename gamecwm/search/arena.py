"""The arena: a candidate GameCWM's planner against the same planner over the reference, on the reference.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.search.arena import play_arena
    >>> from gamecwm.search.planners import default_planner
    >>> pack = get_pack("tic_tac_toe")
    >>> play_arena(pack.reference_source, pack, default_planner(pack, simulations=20), games=2).games
    2

The candidate's planner searches over the candidate's model (sandboxed: it is untrusted code); the
reference's planner searches over the reference; the reference referees, seats alternate, and an
illegal move or a failing model forfeits the game. `gamecwm arena` and `gamecwm eval --arena` both
play through `play_arena`.
"""

from __future__ import annotations

from gamecwm.games import GamePack
from gamecwm.search.engine import LocalEngine, SandboxEngine
from gamecwm.search.match import MatchResult, Seat, play_match
from gamecwm.search.planners import Planner


def play_arena(
    source: str,
    pack: GamePack,
    planner: Planner,
    games: int,
    seed: int = 0,
    move_seconds: float = 60,
    name: str = "candidate",
) -> MatchResult:
    """Play `games` games of the candidate `source` against `pack`'s reference; results are the candidate's.

    Both seats use `planner` (usually `default_planner(pack)`: ISMCTS with hidden information, else MCTS)."""
    from gamecwm.sandbox import Limits

    if not pack.has_reference:
        raise ValueError(f"the arena needs a pack with a reference.py; {pack.path} has none")
    reference = LocalEngine(pack.reference, name="reference")
    with SandboxEngine(source, name=name, limits=Limits.for_match(move_seconds)) as candidate:
        return play_match(
            reference,
            Seat(f"candidate {planner.kind}", candidate, planner),
            Seat(f"reference {planner.kind}", reference, planner),
            games,
            seed,
        )
