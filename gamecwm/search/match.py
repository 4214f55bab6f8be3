"""Playing games and matches between seats (a planner on an engine, or a person).

    >>> import random
    >>> from gamecwm.games import get_pack
    >>> from gamecwm.search.engine import LocalEngine
    >>> from gamecwm.search.match import Seat, play_match
    >>> from gamecwm.search.planners import Planner
    >>> engine = LocalEngine(get_pack("tic_tac_toe").reference)
    >>> mcts, rand = Seat("mcts", engine, Planner("mcts", simulations=200)), Seat("random", engine, Planner("random"))
    >>> play_match(engine, mcts, rand, games=4, seed=0).losses
    0

The referee engine holds the rules of record: it replays the action history, says who moves and what
is legal, and scores the end. A seat that answers with an illegal move, or whose engine fails, forfeits
the game (-1 for it, +1 for the other). Matches alternate seats and report wins, draws and losses of
the first seat with 95% Wilson intervals.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gamecwm.api import CHANCE, TERMINAL
from gamecwm.search.engine import Engine, EngineError
from gamecwm.search.planners import Planner

MAX_STEPS = 2000


@dataclass
class Seat:
    """A player: `planner` on `engine`, or a person when `ask` is given (it gets the legal actions)."""

    name: str
    engine: Engine | None = None
    planner: Planner | None = None
    ask: Callable[[dict[str, Any], int], str] | None = None

    def choose(self, actions: list[str], info: dict[str, Any], player: int, seed: int) -> str:
        if self.ask is not None:
            return self.ask(info, player)
        if self.engine is None or self.planner is None:
            raise ValueError(f"seat {self.name!r} needs an engine and a planner, or `ask`")
        return self.engine.choose(actions, player, self.planner, seed)


@dataclass
class GameRecord:
    actions: list[str]
    rewards: list[float]
    forfeit: int | None = None  # the player who lost by an illegal move or a failing engine
    illegal: bool = False  # whether that forfeit was an illegal move
    reason: str = ""


def play_game(
    referee: Engine,
    seats: list[Seat],
    rng: random.Random,
    on_move: Callable[[dict[str, Any], int, str], None] | None = None,
    max_steps: int = MAX_STEPS,
) -> GameRecord:
    """Play one game; `on_move(info, player, action)` sees every move (chance included)."""
    actions: list[str] = []
    for _ in range(max_steps):
        try:
            info = referee.info(actions)
        except EngineError as exc:  # the rules of record failed: nobody wins
            return GameRecord(actions, [0.0, 0.0], reason=f"the game's model failed: {exc}")
        player = info["player"]
        if player == TERMINAL:
            return GameRecord(actions, info["rewards"])
        if player == CHANCE:
            action = rng.choice(info["legal"])
        else:
            seed = rng.randrange(2**31)
            try:
                action = seats[player].choose(actions, info, player, seed)
            except EngineError as exc:
                return _forfeit(actions, player, f"{seats[player].name} failed: {exc}")
            if action not in info["legal"]:
                record = _forfeit(actions, player, f"{seats[player].name} played the illegal move {action!r}")
                record.illegal = True
                return record
        if on_move is not None:
            on_move(info, player, action)
        actions.append(action)
    return GameRecord(actions, referee.info(actions)["rewards"], reason=f"stopped after {max_steps} steps")


def _forfeit(actions: list[str], player: int, reason: str) -> GameRecord:
    rewards = [1.0, 1.0]
    rewards[player] = -1.0
    return GameRecord(actions, rewards, forfeit=player, reason=reason)


def wilson(successes: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for a proportion (95% by default)."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class MatchResult:
    """Outcomes from the first seat's point of view."""

    first: str
    second: str
    wins: int = 0
    draws: int = 0
    losses: int = 0
    forfeits: int = 0  # games the first seat lost by an illegal move or a failing engine
    illegal_moves: int = 0  # those of the forfeits that were illegal moves
    opponent_forfeits: int = 0
    returns: list[float] = field(default_factory=list)  # the first seat's reward in each game
    records: list[GameRecord] = field(default_factory=list)

    @property
    def games(self) -> int:
        return self.wins + self.draws + self.losses

    @property
    def score(self) -> float:
        """Wins plus half the draws, per game."""
        return (self.wins + 0.5 * self.draws) / self.games if self.games else 0.0

    @property
    def mean_return(self) -> float:
        return sum(self.returns) / len(self.returns) if self.returns else 0.0

    def return_interval(self, z: float = 1.96) -> tuple[float, float]:
        """A normal-approximation 95% interval for the mean return (chips, points, ...)."""
        n, mean = len(self.returns), self.mean_return
        if n < 2:
            return -math.inf, math.inf
        sd = math.sqrt(sum((r - mean) ** 2 for r in self.returns) / (n - 1))
        return mean - z * sd / math.sqrt(n), mean + z * sd / math.sqrt(n)

    def interval(self, outcome: str) -> tuple[float, float]:
        return wilson(getattr(self, outcome), self.games)

    def score_interval(self) -> tuple[float, float]:
        return wilson(self.wins + 0.5 * self.draws, self.games)

    def summary(self) -> str:
        lines = [f"{self.first} vs {self.second}: {self.games} games"]
        for outcome in ("wins", "draws", "losses"):
            low, high = self.interval(outcome)
            count = getattr(self, outcome)
            lines.append(
                f"  {outcome:<7} {count:>4}  {count / max(self.games, 1):6.1%}  95% CI [{low:.2f}, {high:.2f}]"
            )
        low, high = self.score_interval()
        lines.append(f"  score   {self.score:.3f}  95% CI [{low:.2f}, {high:.2f}]  (win 1, draw 1/2)")
        low, high = self.return_interval()
        lines.append(f"  return  {self.mean_return:+.3f} per game  95% CI [{low:+.2f}, {high:+.2f}]")
        if self.forfeits or self.opponent_forfeits:
            lines.append(
                f"  forfeits: {self.first} {self.forfeits} ({self.illegal_moves} by illegal moves), "
                f"{self.second} {self.opponent_forfeits}"
            )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "second": self.second,
            "games": self.games,
            "wins": self.wins,
            "draws": self.draws,
            "losses": self.losses,
            "score": self.score,
            "score_ci95": list(self.score_interval()),
            "win_ci95": list(self.interval("wins")),
            "mean_return": self.mean_return,
            "return_ci95": list(self.return_interval()),
            "forfeits": self.forfeits,
            "illegal_moves": self.illegal_moves,
            "opponent_forfeits": self.opponent_forfeits,
            "reasons": sorted({r.reason for r in self.records if r.reason}),
        }


def play_match(
    referee: Engine,
    first: Seat,
    second: Seat,
    games: int,
    seed: int = 0,
    on_game: Callable[[int, GameRecord, int], None] | None = None,
    on_move: Callable[[dict[str, Any], int, str], None] | None = None,
) -> MatchResult:
    """Play `games` games, `first` as player 0 in even games and player 1 in odd ones."""
    rng = random.Random(seed)
    result = MatchResult(first.name, second.name)
    for index in range(games):
        seat = index % 2  # where `first` sits
        seats = [first, second] if seat == 0 else [second, first]
        record = play_game(referee, seats, random.Random(rng.randrange(2**31)), on_move)
        mine, theirs = record.rewards[seat], record.rewards[1 - seat]
        result.wins += mine > theirs
        result.draws += mine == theirs
        result.losses += mine < theirs
        result.returns.append(mine)
        result.forfeits += record.forfeit == seat
        result.illegal_moves += record.forfeit == seat and record.illegal
        result.opponent_forfeits += record.forfeit == 1 - seat
        result.records.append(record)
        if on_game is not None:
            on_game(index, record, seat)
    return result
