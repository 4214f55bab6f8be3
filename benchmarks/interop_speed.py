"""The bridges' speed side by side with the games OpenSpiel and PettingZoo ship.

    python benchmarks/interop_speed.py [--repeats 5] [--cfr-iterations 20] [--steps 3000]

CFR: iterations per second of OpenSpiel's Python `CFRSolver` on kuhn_poker and leduc_poker, bridged
(our reference in this process, and the same code as an untrusted file in the sandbox) against
OpenSpiel's own Python kuhn (`python_kuhn_poker`) and its C++ games.
PettingZoo: environment steps per second of uniformly random legal play on connect4, bridged (in
process and sandboxed) against PettingZoo's `connect_four_v3`.
Each figure is the median of `--repeats` runs, interleaved so that load changes hit every contender
alike. Every run starts cold: the positions a bridge keeps (so that CFR's later iterations and
revisited positions do not ask the model again) are dropped first, and each PettingZoo run plays
new games. The sandbox's cost per model call is the difference of the two bridges' times per step.
The last lines are the ratios `ours / theirs` (in-process bridge against the native Python game).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyspiel
from open_spiel.python.algorithms import cfr
from pettingzoo.classic import connect_four_v3

from gamecwm.games import get_pack
from gamecwm.interop import openspiel as bridge_openspiel
from gamecwm.interop import pettingzoo as bridge_pettingzoo


def median_rate(runs: list, work: int, repeats: int) -> list[float]:
    spent: list[list[float]] = [[] for _ in runs]
    for repeat in range(repeats):
        for run, times in zip(runs, spent, strict=True):
            start = time.perf_counter()
            run(repeat)
            times.append(time.perf_counter() - start)
    return [work / statistics.median(times) for times in spent]


def forget(game_or_env) -> None:
    """Start cold: drop the positions a bridge keeps (a native game has nothing to drop)."""
    bridge = getattr(game_or_env, "bridge", None)
    if bridge is not None:
        bridge.nodes.clear()
        bridge.initial = None


def cfr_run(game: pyspiel.Game, iterations: int):
    def run(repeat: int) -> None:
        forget(game)
        solver = cfr.CFRSolver(game)
        for _ in range(iterations):
            solver.evaluate_and_update_policy()

    return run


def random_steps(env, steps: int):
    def run(repeat: int) -> None:
        forget(env)
        rng = np.random.default_rng(repeat)  # new games each repeat, the same for every contender
        env.reset(seed=repeat)
        for _ in range(steps):
            observation, _, terminated, truncated, _ = env.last()
            if terminated or truncated:
                env.step(None)
                if not env.agents:
                    env.reset()
                continue
            env.step(int(rng.choice(np.flatnonzero(observation["action_mask"]))))

    return run


def model_file(folder: Path, game_id: str) -> Path:
    path = folder / f"{game_id}_model.py"
    path.write_text(get_pack(game_id).reference_source)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cfr-iterations", type=int, default=20)
    parser.add_argument("--steps", type=int, default=3000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gamecwm-interop-bench-"))
    ratios = {}

    print(f"CFR iterations/s (median of {args.repeats} runs of {args.cfr_iterations} iterations)")
    for game_id, natives in (("kuhn_poker", ("python_kuhn_poker", "kuhn_poker")), ("leduc_poker", ("leduc_poker",))):
        contenders = {
            "bridge (in process)": bridge_openspiel.load_game(game_id),
            "bridge (sandboxed file)": bridge_openspiel.load_game(game_id, model=model_file(folder, game_id)),
            **{f"OpenSpiel {name}": pyspiel.load_game(name) for name in natives},
        }
        iterations = args.cfr_iterations if game_id == "kuhn_poker" else max(1, args.cfr_iterations // 10)
        rates = median_rate([cfr_run(g, iterations) for g in contenders.values()], iterations, args.repeats)
        for name, rate in zip(contenders, rates, strict=True):
            print(f"  {game_id:12s} {name:28s} {rate:10.2f}")
        ratios[f"cfr_{game_id}_vs_{natives[0]}"] = rates[0] / rates[2]

    print(f"PettingZoo steps/s (median of {args.repeats} runs of {args.steps} random steps)")
    contenders = {
        "bridge (in process)": bridge_pettingzoo.env("connect4"),
        "bridge (sandboxed file)": bridge_pettingzoo.env("connect4", model=model_file(folder, "connect4")),
        "PettingZoo connect_four_v3": connect_four_v3.env(),
    }
    rates = median_rate([random_steps(e, args.steps) for e in contenders.values()], args.steps, args.repeats)
    for name, rate in zip(contenders, rates, strict=True):
        print(f"  {'connect4':12s} {name:28s} {rate:10.1f}")
    ratios["steps_connect4_vs_connect_four_v3"] = rates[0] / rates[2]
    print(f"sandbox cost per PettingZoo step: {1e6 * (1 / rates[1] - 1 / rates[0]):.0f} us")
    for name, ratio in ratios.items():
        print(f"ratio_{name}={ratio:.3f}")


if __name__ == "__main__":
    main()
