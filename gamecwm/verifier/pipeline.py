"""Verify a GameCWM against a game pack: the four tiers, the reference-based tiers and both scores.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.verifier import verify
    >>> pack = get_pack("kuhn_poker")
    >>> report = verify(pack.reference_source, pack)
    >>> report.overall, report.reward
    (1.0, 1.0)

Candidate code runs in a sandboxed worker (`gamecwm.sandbox`) with the probes (`probes.py`) as its
plugin; every random game there follows seeds drawn here, which the judges (`checks.py`, here) check
before they trust a record.
A worker that times out or dies fails the checks of the stage it was running, with the reason; later
stages get a fresh worker while the per-candidate budget lasts. A worker lost because the sandbox
itself failed is replaced and the stage run again, so one candidate's trouble never becomes another's.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from gamecwm.api import TERMINAL, load_module
from gamecwm.games import GamePack
from gamecwm.sandbox import Limits, Sandbox, SandboxError, resolve
from gamecwm.sandbox.codec import MalformedMessage, read_answer
from gamecwm.sandbox.screen import inject_imports, screen_source
from gamecwm.sandbox.worker import Host
from gamecwm.verifier import checks as C
from gamecwm.verifier import probes, published
from gamecwm.verifier.report import Report, RewardConfig, Tier, clean_text

ISOLATION_MODES = ("auto", "required", "off")


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
    isolation: str = field(
        default="auto",
        metadata={
            "help": "OS isolation of the workers: auto (the strongest this machine gives), required (refuse to "
            "run without namespaces and seccomp), off (in-process layers only)",
            "choices": ("auto", "required", "off"),
        },
    )
    scoring: str = field(
        default="strict",
        metadata={
            "help": "strict: our verifier; published: the paper's published evaluator, quirks included "
            "(docs/scoring.md); both: side by side",
            "choices": ("strict", "published", "both"),
        },
    )
    published_games: int = field(default=100, metadata={"help": "random games per tier in published scoring"})
    limits: Limits = field(default_factory=Limits)
    reward: RewardConfig = field(default_factory=RewardConfig)

    @classmethod
    def for_reward(cls, **overrides: Any) -> VerifyConfig:
        """The GRPO setting: 10 fuzz games, fewer reference trajectories."""
        return cls(**{"fuzz_games": 10, "reference_games": 5, **overrides})


PLUGINS = ("gamecwm.verifier.probes", "gamecwm.verifier.published")
SCORINGS = ("strict", "published", "both")


class InProcess:
    """Host a module in this process: for trusted code and the benchmark's plain baseline only."""

    isolation = None

    def __init__(self) -> None:
        self.host = Host({**probes.SANDBOX_OPS, **published.SANDBOX_OPS})

    def call(self, op: str, **params: Any) -> dict[str, Any]:
        return self.host.call(op, params)

    def close(self) -> None:
        pass


class _Session:
    """A worker with the candidate loaded, restarted after a failure while time remains."""

    RETRIES = 2  # requests sent again after the sandbox itself (not the candidate) failed

    def __init__(self, source: str, config: VerifyConfig) -> None:
        self.source, self.config = source, config
        self.deadline = time.monotonic() + config.limits.candidate_seconds
        self.box: Any = None
        self.load: dict[str, Any] | None = None
        self.fatal: str | None = None  # set when retrying is pointless (the module itself fails)
        self.stub: str | None = None
        self.isolation: str | None = None

    def call(self, op: str, **params: Any) -> Any:
        """One request on a live worker: the op's result, or `SandboxError` with the reason. A failure
        of the sandbox itself (not the candidate's doing) is retried on a fresh worker."""
        for attempt in range(self.RETRIES + 1):
            try:
                return self._call(op, params)
            except SandboxError as exc:
                self.close()
                if not exc.infrastructure or attempt == self.RETRIES or self.fatal:
                    raise
        raise AssertionError("unreachable")

    def _call(self, op: str, params: dict[str, Any]) -> Any:
        if self.fatal:
            raise SandboxError(self.fatal)
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise SandboxError(f"per-candidate time limit of {self.config.limits.candidate_seconds:g} s reached")
        if self.box is None:
            self._start(left)
        reply = self.box.call(op, **params)
        if "error" in reply:
            raise SandboxError(f"worker error during '{op}': {str(reply['error'])[:300]}")
        if op == "api":
            return reply
        try:
            return read_answer(reply["result"])
        except (KeyError, TypeError, MalformedMessage) as exc:
            raise SandboxError(f"malformed reply to '{op}': {exc}") from None

    def _start(self, left: float) -> None:
        if not self.config.sandbox:
            self.box = InProcess()
        else:
            limits = Limits(**{**vars(self.config.limits), "candidate_seconds": left})
            self.box = Sandbox(limits, isolation=self.config.isolation, plugins=PLUGINS)
            try:
                self.box.start()
            except SandboxError as exc:
                self.close()
                if not exc.infrastructure:
                    self.fatal = f"the sandbox could not start: {exc.reason}"
                raise
            self.isolation = self.box.isolation.describe()
        try:
            load = self.box.call("load", source=self.source, name="candidate")
        except SandboxError as exc:
            self.close()
            if exc.infrastructure:
                raise
            self.fatal = f"loading the module: {exc.reason}"
            raise SandboxError(self.fatal) from None
        self.load = self.load or {"compiled": bool(load.get("compiled")), "error": load.get("error")}
        if not load.get("compiled") or load.get("error"):
            self.fatal = f"the module does not {'import' if load.get('compiled') else 'compile'}: {load.get('error')}"
            self.close()
            raise SandboxError(self.fatal)

    def close(self) -> None:
        if self.box is not None:
            self.box.close()
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


def seeds_for(seed: int, games: int) -> list[int]:
    """The seeds of a stage's random games, drawn here, where the candidate cannot reach."""
    rng = random.Random(seed)
    return [rng.getrandbits(63) for _ in range(games)]


def _stages(
    pack: GamePack, config: VerifyConfig, source: str
) -> list[tuple[str, tuple[str, ...], Callable[[_Session], list[C.Check]]]]:
    """(tier, its check names for 'not run', a function session -> checks) in running order."""
    seed, steps = config.seed, config.max_steps

    def dynamics(s: _Session) -> list[C.Check]:
        seeds = seeds_for(seed, config.fuzz_games)
        return C.dynamics_checks(seeds, s.call("fuzz", seeds=seeds, max_steps=steps))

    def scenarios(s: _Session) -> list[C.Check]:
        requests = [{"actions": sc.actions, "illegal": sc.checks.get("illegal")} for sc in pack.scenarios]
        return C.scenario_checks(pack.scenarios, s.call("scenarios", requests=requests))

    def information(s: _Session) -> list[C.Check]:
        seeds = seeds_for(seed + 1, config.information_games or config.fuzz_games)
        trials = s.call("resample", seeds=seeds, max_steps=steps)
        forged = C.resample_choices_problem(seeds, trials)
        s.stub = None if forged else C.is_stub(source, trials)
        return C.information_checks(trials, s.stub, forged)

    def reference() -> dict[str, Any]:
        return _reference_facts(pack.path, pack.info, config.reference_games, seed, steps)

    def trajectory(s: _Session) -> list[C.Check]:
        replayed = s.call("trajectories", trajectories=reference()["trajectories"])
        return C.trajectory_checks(reference()["steps"], replayed)

    # In a perfect-information game a candidate may show more than the reference (the move history,
    # say) but must not hide what the reference shows; with hidden information, both directions count.
    infoset_names = C.INFOSET_CHECKS if pack.info == "imperfect" else C.INFOSET_CHECKS[1:]

    def information_sets(s: _Session) -> list[C.Check]:
        ref = reference()
        keys = s.call("observations", trajectories=ref["trajectories"])
        checks = C.infoset_checks(ref["trajectories"], ref["movers"], ref["keys"], keys)
        return [c for c in checks if c.name in infoset_names]

    stages: list[tuple[str, tuple[str, ...], Callable[[_Session], list[C.Check]]]] = [
        ("dynamics", C.DYNAMICS_CHECKS, dynamics)
    ]
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
    report.api_complete = isinstance(api.get("missing"), list) and not api["missing"]
    assert session.load is not None  # the call above loaded the module
    return C.static_checks(session.load, api, injected)


def _judged(tier: str, names: tuple[str, ...], judge: Callable[[], list[C.Check]], report: Report) -> Tier:
    """The tier's checks, or all of them failing with the reason when the sandbox failed or the facts
    could not be judged: a malformed fact costs this candidate this tier, never the whole batch."""
    try:
        return Tier(judge())
    except SandboxError as exc:
        reason = exc.reason
    except Exception as exc:  # noqa: BLE001 - facts shaped by a hostile candidate
        reason = f"malformed facts ({type(exc).__name__}: {str(exc)[:200]})"
    report.reason = report.reason or f"{tier}: {reason}"
    return Tier(C.not_run(names, reason))


def verify(source: str, pack: GamePack, config: VerifyConfig | None = None, file: str = "<candidate>") -> Report:
    """Run every applicable tier on `source` for `pack` and return the report (`config.scoring` says
    which: our strict tiers, the published evaluator's, or both).

    Raises `IsolationUnavailable` when `config.isolation` is `required` and the machine cannot isolate.
    """
    config = config or VerifyConfig()
    if config.scoring not in SCORINGS:
        raise ValueError(f"unknown scoring {config.scoring!r}; choose one of {', '.join(SCORINGS)}")
    start = time.monotonic()
    isolation = resolve(config.isolation).describe() if config.sandbox else "none (trusted, in-process)"
    report = Report(file=file, game=pack.id, info=pack.info, tiers={}, reward_config=config.reward,
                    isolation=isolation, scoring=config.scoring)  # fmt: skip
    if config.scoring != "published":
        _strict(source, pack, config, report)
    if config.scoring != "strict":
        report.published = _published(source, pack, config)
    report.reason = clean_text(report.reason) if report.reason else None  # shown in the CLI, TUI and reports
    report.elapsed_s = time.monotonic() - start
    return report


def _strict(source: str, pack: GamePack, config: VerifyConfig, report: Report) -> None:
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
        return
    session = _Session(source, config)
    try:
        report.tiers["static"] = _judged("static", C.STATIC_CHECKS, lambda: _static(session, pack, injected, report),
                                         report)  # fmt: skip
        for tier, names, run in stages:
            report.tiers[tier] = _judged(tier, names, partial(run, session), report)
        report.stub = bool(session.stub)
        report.isolation = session.isolation or report.isolation
    finally:
        session.close()


def _published(source: str, pack: GamePack, config: VerifyConfig) -> dict[str, Tier]:
    """The published evaluator's tiers (`published.py`). The file is scored as the published pipeline
    wrote it, its generator's standard imports first; a time-out, a load failure or a dead worker score
    as they do there."""
    source = published.STANDARD_IMPORTS + source
    problems = screen_source(source) if config.screen else []
    if problems:  # never run: scored as a module that does not load
        return published.published_load_failure_tiers(pack, "refused before execution: " + "; ".join(problems[:3]))
    seeds = seeds_for(config.seed + 2, config.published_games)
    limits = dataclasses.replace(config.limits, call_seconds=published.TIMEOUT_S)
    params = {"info": pack.info, "scenarios": published.published_requests(pack), "seeds": seeds}
    session = _Session(source, dataclasses.replace(config, limits=limits))
    try:
        facts = session.call("published", **params)
    except SandboxError as exc:
        if session.load is None or session.fatal:  # it never loaded
            return published.published_load_failure_tiers(pack, exc.reason)
        if not exc.timed_out:  # the worker died: so would the published evaluator's process
            return published.published_load_failure_tiers(pack, f"the evaluator's process dies: {exc.reason}")
        static = _Session(source, config)  # the published script scores static again after a time-out
        try:
            facts = static.call("published", **params, stages=["static"])
        except SandboxError:
            facts = None
        finally:
            static.close()
        return published.published_timeout_tiers(facts, pack)
    finally:
        session.close()
    return published.published_tiers(facts, pack, seeds)


def verify_many(
    items: Iterable[tuple[str, GamePack, str]], config: VerifyConfig | None = None, jobs: int = 1
) -> Iterator[Report]:
    """Verify (source, pack, file) items with `jobs` workers at once; yields reports in input order."""
    items = list(items)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        yield from pool.map(lambda item: verify(item[0], item[1], config, file=item[2]), items)
