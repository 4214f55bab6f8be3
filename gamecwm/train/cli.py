"""The training commands, `gamecwm data | tiny-model | train | ship | train-mlx`: their arguments and entry points.

Each `run_*` function calls into the module doing the work (data.py, tiny.py, pipeline.py, ship.py, mlx/run.py);
the heavy ones are imported only when their command runs, so `gamecwm --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from gamecwm.flags import add_flags, config_from
from gamecwm.train import mlx as train_mlx
from gamecwm.train.config import TrainConfig, add_config_arguments, load_config, to_dict
from gamecwm.train.data import DataConfig
from gamecwm.train.mlx.config import MLXLoraConfig, MLXLoraError
from gamecwm.train.ship import ShipConfig
from gamecwm.train.tiny import ARCHS, TinyModelConfig

TRAIN_DESCRIPTION = """\
`gamecwm train`: SFT then GRPO with TRL + PEFT LoRA, from a YAML config with overrides.

    gamecwm train --config configs/sft_grpo.yaml
    gamecwm train --config configs/tiny.yaml --set grpo.max_steps=2 --no-curriculum
    gamecwm train --config configs/grpo.yaml --set sft_adapter=runs/sft-20261121/sft/adapter

`--set section.key=value` overrides any field of the config (see configs/sft_grpo.yaml for them all);
`--no-curriculum` and `--no-scenarios` are the ablations. For several GPUs, the same command runs under
`accelerate launch --config_file configs/accelerate/ddp.yaml -m gamecwm.cli train ...`.
"""


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    data = subparsers.add_parser("data", help="write the SFT and GRPO datasets from the training games")
    add_flags(data, DataConfig)
    data.set_defaults(run=run_data)

    tiny = subparsers.add_parser("tiny-model", help="build a tiny local model for smoke runs (no download)")
    tiny.add_argument("--out", type=Path, required=True, help="folder to write the model to")
    tiny.add_argument("--arch", choices=ARCHS, default=TinyModelConfig.arch)
    tiny.add_argument("--layers", type=int, default=TinyModelConfig.layers)
    tiny.add_argument("--hidden", type=int, default=TinyModelConfig.hidden)
    tiny.add_argument("--seed", type=int, default=TinyModelConfig.seed)
    tiny.set_defaults(run=run_tiny)

    train = subparsers.add_parser(
        "train",
        help="train with SFT and GRPO (TRL + PEFT LoRA)",
        description=TRAIN_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_config_arguments(train, "configs/sft_grpo.yaml, configs/tiny.yaml, ...", "sft.learning_rate=2e-5")
    train.add_argument("--no-curriculum", action="store_true", help="GRPO on all tiers at once (ablation)")
    train.add_argument("--no-scenarios", action="store_true", help="reward without the scenario tier (ablation)")
    train.set_defaults(run=run_train)

    ship = subparsers.add_parser(
        "ship", help="make a CPU recipe run's adapter the runtime's default (GGUF LoRA + model card)"
    )
    add_flags(ship, ShipConfig)
    ship.set_defaults(run=run_ship)

    mlx = subparsers.add_parser(
        "train-mlx",
        help="LoRA with mlx_lm on the SFT data, then fuse (Apple silicon; Linux via mlx[cpu])",
        description=train_mlx.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_config_arguments(mlx, "configs/mlx_lora.yaml", "iters=100")
    mlx.set_defaults(run=run_train_mlx)


def run_ship(args: argparse.Namespace) -> int:
    from gamecwm.train.ship import ship

    lora = ship(config_from(ShipConfig, args))
    print(f"{lora}\n{lora.parent / 'MODEL_CARD.md'}")
    return 0


def run_data(args: argparse.Namespace) -> int:
    from gamecwm.train.data import build_datasets

    files = build_datasets(config_from(DataConfig, args))
    manifest = json.loads(files["manifest"].read_text())
    print(f"SFT: {len(manifest['sft']['train'])} train, {len(manifest['sft']['valid'])} valid games "
          f"({', '.join(manifest['sft']['valid']) or 'none'})")  # fmt: skip
    print("GRPO: " + ", ".join(f"{tier} {len(ids)} games" for tier, ids in manifest["grpo"].items()))
    print(f"held out (never written): {', '.join(manifest['held_out'])}")
    for name, path in files.items():
        print(f"  {name:<32} {path}")
    return 0


def run_tiny(args: argparse.Namespace) -> int:
    from gamecwm.train.tiny import build_tiny_model

    config = TinyModelConfig(arch=args.arch, layers=args.layers, hidden=args.hidden, seed=args.seed)
    print(f"wrote {build_tiny_model(args.out, config)}")
    return 0


def resolve(args: argparse.Namespace) -> TrainConfig:
    overrides = list(args.overrides)
    if args.no_curriculum:
        overrides.append("curriculum=false")
    if args.no_scenarios:
        overrides.append("scenarios=false")
    return load_config(TrainConfig, args.config, overrides)


def run_train(args: argparse.Namespace) -> int:
    from gamecwm.train.pipeline import run_training

    config = resolve(args)
    if args.dry_run:
        print(yaml.safe_dump(to_dict(config), sort_keys=False), end="")
        return 0
    label = args.config.stem if args.config else "run"
    if not config.curriculum:
        label += "-no-curriculum"
    if not config.scenarios:
        label += "-no-scenarios"
    run_dir = run_training(config, label)
    print(run_dir)
    return 0


def run_train_mlx(args: argparse.Namespace) -> int:
    from gamecwm.train.mlx.run import run_mlx_lora

    config = load_config(MLXLoraConfig, args.config, args.overrides)
    if args.dry_run:
        print(yaml.safe_dump(to_dict(config), sort_keys=False), end="")
        return 0
    try:
        print(run_mlx_lora(config))
    except MLXLoraError as exc:
        print(f"gamecwm train-mlx: error: {exc}", file=sys.stderr)
        return 1
    return 0
