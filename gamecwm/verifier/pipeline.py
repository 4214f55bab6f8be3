"""Verify a GameCWM against a game pack: the four tiers, the reference-based tiers and both scores.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.verifier import verify
    >>> pack = get_pack("kuhn_poker")
    >>> report = verify(pack.reference_source, pack)
    >>> report.overall, report.reward
    (1.0, 1.0)

Candidate code runs in a sandboxed worker (`sandbox.py`); this module only sends requests and judges
the facts that come back (`checks.py`). A worker that times out or dies fails the checks of the stage
it was running, with the reason; later stages get a fresh worker while the per-candidate budget lasts.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from gamecwm.api import TERMINAL, load_module
from gamecwm.games import GamePack
from gamecwm.verifier import checks as C
from gamecwm.verifier import probes
from gamecwm.verifier.report import Report, RewardConfig, Tier
from gamecwm.verifier.sandbox import Limits, Sandbox, SandboxError
from gamecwm.verifier.screen import inject_imports, screen_source
from gamecwm.verifier.worker import Ops


@dataclass
class VerifyConfig:
    fuzz_games: int = field(default=100, metadata={"help": "random games for the dynamics tier (10 for rewards)"})
    information_games: int | None = field(default=None, metadata={"help": "games cut for resample trials"})
    reference_games: int = field(default=20, metadata={"help": "reference trajectories for the reference tiers"})
    max_steps: int = field(default=500, metadata={"help": "step cap per random game"})
    seed: int = field(default=0, metadata={"help": "seed for every random choice the verifier makes"})
    inject_imports: bool = field(default=True, metadata={"help": "add imports of well-known names first"})
    screen: bool = field(default=True, metadata={"help": "refuse unsafe source before running it"})
    reference_tiers: bool = field(default=True, metadata={"help": "add trajectory/information-set tiers"})
    sandbox: bool = field(default=True, metadata={"help": "run in a worker process (False: trusted code only)"})
    limits: Limits = field(default_factory=Limits)
    reward: RewardConfig = field(default_factory=RewardConfig)

    @classmethod
    def for_reward(cls, **overrides: Any) -> VerifyConfig:
        """The GRPO setting: 10 fuzz games, fewer reference trajectories."""
        return cls(**{"fuzz_games": 10, "reference_games": 5, **overrides})


class InProcess(Ops):
    """Run the probes in this process: for trusted code and the benchmark's plain baseline only."""

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class _Session:
    """A worker with the candidate loaded, restarted after a failure while time remains."""

    def __init__(self, source: str, config: VerifyConfig) -> None:
        self.source, self.config = source, config
        self.deadline = time.monotonic() + config.limits.candidate_seconds
        self.box: Any = None
        self.load: dict[str, Any] | None = None
        self.fatal: str | None = None  # set when retrying is pointless (the module itself fails)
        self.stub: str | None = None

    def call(self, op: str, **params: Any) -> dict[str, Any]:
        if self.fatal:
            raise SandboxError(self.fatal)
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise SandboxError(f"per-candidate time limit of {self.config.limits.candidate_seconds:g} s reached")
        if self.box is None:
            self._start(left)
        try:
            reply = self.box.call(op, **params)
        except SandboxError:
            self.close()
            raise
        if "error" in reply and op != "load":
            raise SandboxError(f"worker error during '{op}': {reply['error']}")
        return reply

    def _start(self, left: float) -> None:
        if not self.config.sandbox:
            self.box = InProcess()
        else:
            limits = Limits(**{**vars(self.config.limits), "candidate_seconds": left})
            self.box = Sandbox(limits)
            try:
                self.box.start()
            except SandboxError as exc:
                self.fatal = f"the sandbox could not start: {exc.reason}"
                raise
        try:
            load = self.box.call("load", source=self.source, name="candidate")
        except SandboxError as exc:
            self.fatal = f"loading the module: {exc.reason}"
            self.close()
            raise SandboxError(self.fatal) from None
        self.load = self.load or load
        if not load["compiled"] or load["error"]:
            self.fatal = f"the module does not {'import' if load['compiled'] else 'compile'}: {load['error']}"
            self.close()
            raise SandboxError(self.fatal)

    def close(self) -> None:
        if self.box is not None:
            self.box.__exit__(None, None, None)
            self.box = None


@lru_cache(maxsize=64)
def _reference_facts(path: Path, info: str, games: int, seed: int, max_steps: int) -> dict[str, Any]:
    """Random reference trajectories and what the reference says along them (trusted, in-process)."""
    game = load_module(path / "reference.py", name="gamecwm_reference_facts", info=info)
    rng = random.Random(seed)
    trajectories, movers = [], []
    for _ in range(games):
        state, actions, players = game.get_initial_state(), [], []
        for _ in range(max_steps):
            players.append(game.get_current_player(state))
            if players[-1] == TERMINAL:
                break
            actions.append(rng.choice(sorted(game.get_legal_actions(state))))
            state = game.apply_action(state, actions[-1])
        trajectories.append(actions)
        movers.append(players)
    return {
        "trajectories": trajectories,
        "movers": movers,
        "steps": probes.trajectory_facts(game, trajectories),
        "keys": probes.observation_keys(game, trajectories),
    }


def _stages(pack: GamePack, config: VerifyConfig, source: str) -> list[tuple[str, tuple[str, ...], Callable]]:
    """(tier, its check names for 'not run', a function session -> checks) in running order."""
    seed, steps = config.seed, config.max_steps

    def dynamics(s: _Session) -> list[C.Check]:
        return C.dynamics_checks(s.call("fuzz", games=config.fuzz_games, seed=seed, max_steps=steps)["games"])

    def scenarios(s: _Session) -> list[C.Check]:
        requests = [{"actions": sc.actions, "checks": sc.checks} for sc in pack.scenarios]
        return C.scenario_checks(pack.scenarios, s.call("scenarios", scenarios=requests)["facts"])

    def information(s: _Session) -> list[C.Check]:
        games = config.information_games or config.fuzz_games
        trials = s.call("resample", games=games, seed=seed, max_steps=steps)["trials"]
        s.stub = C.is_stub(source, trials)
        return C.information_checks(trials, s.stub)

    def reference() -> dict[str, Any]:
        return _reference_facts(pack.path, pack.info, config.reference_games, seed, steps)

    def trajectory(s: _Session) -> list[C.Check]:
        replayed = s.call("trajectories", trajectories=reference()["trajectories"])["steps"]
        return C.trajectory_checks(reference()["steps"], replayed)

    # In a perfect-information game a candidate may show more than the reference (the move history,
    # say) but must not hide what the reference shows; with hidden information, both directions count.
    infoset_names = C.INFOSET_CHECKS if pack.info == "imperfect" else C.INFOSET_CHECKS[1:]

    def information_sets(s: _Session) -> list[C.Check]:
        ref = reference()
        keys = s.call("observations", trajectories=ref["trajectories"])["keys"]
        checks = C.infoset_checks(ref["trajectories"], ref["movers"], ref["keys"], keys)
        return [c for c in checks if c.name in infoset_names]

    stages = [("dynamics", C.DYNAMICS_CHECKS, dynamics)]
    if pack.scenarios:  # a bare rules file has none: the tier is then not applicable
        stages.append(("scenarios", tuple(sc.name for sc in pack.scenarios), scenarios))
    if pack.info == "imperfect":
        stages.append(("information", C.INFORMATION_CHECKS, information))
    if config.reference_tiers and pack.has_reference:
        stages.append(("trajectory", C.TRAJECTORY_CHECKS, trajectory))
        stages.append(("information_sets", infoset_names, information_sets))
    return stages


def report_tiers(pack: GamePack, config: VerifyConfig | None = None) -> list[str]:
    """The tiers a report on `pack` holds under `config`, in order (static first)."""
    return ["static"] + [name for name, _, _ in _stages(pack, config or VerifyConfig(), "")]


def _static(session: _Session, pack: GamePack, injected: list[str], report: Report) -> list[C.Check]:
    try:
        api = session.call("api", info=pack.info)  # starts the worker and loads the module first
    except SandboxError as exc:
        report.reason = exc.reason
        if session.load is None:  # the module never finished loading
            return C.not_run(C.STATIC_CHECKS, exc.reason)
        return C.static_checks(session.load, None, injected, exc.reason)
    report.api_complete = not api["missing"]
    return C.static_checks(session.load, api, injected)


def verify(source: str, pack: GamePack, config: VerifyConfig | None = None, file: str = "<candidate>") -> Report:
    """Run every applicable tier on `source` for `pack` and return the report."""
    config = config or VerifyConfig()
    start = time.monotonic()
    report = Report(file=file, game=pack.id, info=pack.info, tiers={}, reward_config=config.reward)
    injected: list[str] = []
    if config.inject_imports:
        source, injected = inject_imports(source)
    stages = _stages(pack, config, source)
    problems = screen_source(source) if config.screen else []
    if problems:
        report.reason = "refused before execution: " + "; ".join(problems[:3])
        report.tiers["static"] = Tier(C.not_run(C.STATIC_CHECKS, report.reason))
        for tier, names, _ in stages:
            report.tiers[tier] = Tier(C.not_run(names, report.reason))
        report.elapsed_s = time.monotonic() - start
        return report
    session = _Session(source, config)
    try:
        report.tiers["static"] = Tier(_static(session, pack, injected, report))
        for tier, names, run in stages:
            try:
                report.tiers[tier] = Tier(run(session))
            except SandboxError as exc:
                report.reason = report.reason or f"{tier}: {exc.reason}"
                report.tiers[tier] = Tier(C.not_run(names, exc.reason))
        report.stub = bool(session.stub)
    finally:
        session.close()
    report.elapsed_s = time.monotonic() - start
    return report


def verify_many(
    items: Iterable[tuple[str, GamePack, str]], config: VerifyConfig | None = None, jobs: int = 1
) -> Iterator[Report]:
    """Verify (source, pack, file) items with `jobs` workers at once; yields reports in input order."""
    items = list(items)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        yield from pool.map(lambda item: verify(item[0], item[1], config, file=item[2]), items)
