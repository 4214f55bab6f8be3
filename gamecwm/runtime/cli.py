"""The runtime's commands: `gamecwm generate` writes a GameCWM for a game with a local GGUF model,
offline; `gamecwm demo` runs the main job end to end on the embedded model (`demo.py`).

    gamecwm generate gen_tic_tac_toe --samples 4 --repair 1 -o gen_tic_tac_toe.py --verify
    gamecwm generate --rules my_game/rules.md --info imperfect --model runs/x/model-Q4_K_M.gguf
    gamecwm demo --game gen_tic_tac_toe --samples 2

Streams the first sample to the terminal, ranks all samples (and their repairs) by the verifier's
reward, writes the best module with -o, and with --verify prints its full verification table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gamecwm.flags import add_flags, config_from
from gamecwm.games import get_pack, rules_only_pack
from gamecwm.runtime import demo
from gamecwm.runtime.generate import GenerateConfig
from gamecwm.search.mcts import SearchConfig

MODEL_HELP = "GGUF model, or base: the embedded SmolLM2-135M-Instruct alone (default: it with our adapter)"


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("generate", help="generate a GameCWM with a local model (llama.cpp)")
    parser.add_argument("game", nargs="?", help="catalog id or pack folder")
    parser.add_argument("--rules", type=Path, help="a bare rules file of your own game (instead of GAME)")
    parser.add_argument("--info", choices=("perfect", "imperfect"), default="perfect", help="with --rules")
    parser.add_argument("--model", type=Path, help=MODEL_HELP)
    parser.add_argument("--lora", type=Path, help="a GGUF LoRA applied on top of the model (`gamecwm export lora`)")
    add_flags(parser, GenerateConfig)
    parser.add_argument("--threads", type=int, help="CPU threads for llama.cpp (default: all cores but one)")
    parser.add_argument("-o", "--out", type=Path, help="write the best module here")
    parser.add_argument("--verify", action="store_true", help="print the best module's full verification")
    parser.add_argument("--quiet", action="store_true", help="do not stream the text")
    parser.set_defaults(run=run)
    add_demo_parser(subparsers)


def add_demo_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="generate, verify and play a held-out game (embedded model)")
    parser.add_argument("--game", default="gen_tic_tac_toe", help="catalog id (default: gen_tic_tac_toe)")
    parser.add_argument("--model", type=Path, help=MODEL_HELP)
    # the demo's own defaults: few, short samples and a quick match, so it runs in about a minute
    add_flags(parser, GenerateConfig, ["samples", "max_tokens"], defaults={"samples": 2, "max_tokens": 1024})
    add_flags(parser, SearchConfig, ["simulations"], names={"simulations": "sims"}, defaults={"simulations": 200})
    parser.add_argument("--games", type=int, default=2, help="games in the match")
    parser.add_argument("--out", type=Path, default=Path("demo_generated.py"), help="where the best sample goes")
    parser.set_defaults(run=demo.run)


def run(args: argparse.Namespace) -> int:
    from gamecwm.console import make_console
    from gamecwm.runtime import LlamaGenerator, generate

    if (args.game is None) == (args.rules is None):
        raise ValueError("give a GAME (catalog id or pack folder) or --rules FILE, not both")
    pack = get_pack(args.game) if args.game else rules_only_pack(args.rules, args.info)
    config = config_from(GenerateConfig, args)
    console = make_console(stderr=True)
    generator = LlamaGenerator(args.model, threads=args.threads, lora_path=args.lora)
    console.print(f"[bold]{pack.name}[/] with {generator.name}: {config.samples} samples, {config.repair} repairs")
    streaming = {"on": not args.quiet}

    def on_text(label: str, chunk: str) -> None:
        if streaming["on"]:
            sys.stderr.write(chunk)
            sys.stderr.flush()

    def on_draft(draft) -> None:
        streaming["on"] = False  # stream only the first reply; then one line per draft
        if draft.code is None:
            console.print(f"\n{draft.label}: no code block in the reply ({len(draft.text)} characters)")
        else:
            console.print(f"\n{draft.label}: reward {draft.reward:.3f}, overall {draft.overall:.3f}")

    drafts = generate(pack, generator, config, on_text=on_text, on_draft=on_draft)
    best = drafts[0]
    if best.code is None:
        console.print("[red]no sample contained Python code[/]; try more --samples or a larger model")
        return 1
    console.print(f"best: {best.label}, reward {best.reward:.3f}")
    if args.out:
        args.out.write_text(best.code, encoding="utf-8")
        console.print(f"wrote {args.out}")
    else:
        print(best.code, end="")
    if args.verify:
        from gamecwm.verifier import verify
        from gamecwm.verifier.render import render_report

        console.print(render_report(verify(best.code, pack, file=str(args.out or "<best sample>"))))
    return 0
