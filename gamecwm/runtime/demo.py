"""`gamecwm demo` (registered in `runtime/cli.py`): the main job end to end, offline, on the embedded model.

    gamecwm demo --game gen_tic_tac_toe --samples 2

Generates a GameCWM for a held-out game with the embedded SmolLM2-135M (best-of-N by the verifier's
reward), prints its verification, then plays a short MCTS match with it in the sandbox. A model that
small rarely writes a playable module; when it does not, the demo says so and plays the reference.
"""

from __future__ import annotations

import argparse

from gamecwm.flags import config_from
from gamecwm.games import get_pack
from gamecwm.runtime.generate import GenerateConfig
from gamecwm.search.mcts import SearchConfig


def playable(report) -> str | None:
    """Why a verified module cannot be played with, or None if it can."""
    if report is None:
        return "the reply contained no Python code"
    static = [c for c in report.tiers["static"].checks if not c.passed]
    if static:
        return f"{static[0].name} failed: {static[0].detail}"
    failing = [c.name for c in report.tiers["dynamics"].checks if not c.passed]
    return f"random play breaks it ({', '.join(failing)})" if failing else None


def run(args: argparse.Namespace) -> int:
    from gamecwm.console import make_console
    from gamecwm.runtime import LlamaGenerator, generate
    from gamecwm.search.engine import LocalEngine, SandboxEngine
    from gamecwm.search.match import Seat, play_match
    from gamecwm.search.planners import Planner, default_planner
    from gamecwm.verifier import verify
    from gamecwm.verifier.render import render_report

    console = make_console()
    pack = get_pack(args.game)
    generator = LlamaGenerator(args.model)
    console.rule(f"1. generate: {pack.name} with {generator.name}, best of {args.samples}")
    config = config_from(GenerateConfig, args)

    def on_draft(draft) -> None:
        result = "no code" if draft.code is None else f"reward {draft.reward:.3f}"
        console.print(f"  {draft.label}: {len(draft.text)} characters, {result}")

    best = generate(pack, generator, config, on_draft=on_draft)[0]
    console.rule("2. verify the best sample (100 fuzz games)")
    report = None
    if best.code is not None:
        args.out.write_text(best.code, encoding="utf-8")
        report = verify(best.code, pack, file=str(args.out))
        console.print(render_report(report))
    reason = playable(report)
    console.rule("3. play")
    planner = default_planner(pack, search=config_from(SearchConfig, args))
    if reason is None:
        console.print(f"the generated model is playable: {planner.kind} against random on it, in the sandbox")
        engine = SandboxEngine(best.code, name=str(args.out))
    else:
        console.print(f"the generated model is not playable: {reason}. Playing the reference instead.")
        engine = LocalEngine(pack.reference, name=f"{pack.id} reference")
    with engine:
        result = play_match(engine, Seat(planner.kind, engine, planner), Seat("random", engine, Planner("random")),
                            args.games, seed=0)  # fmt: skip
    console.print(result.summary())
    return 0
