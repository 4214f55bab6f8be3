"""`gamecwm train`: SFT then GRPO with TRL + PEFT LoRA, from a YAML config with overrides.

    gamecwm train --config configs/sft_grpo.yaml
    gamecwm train --config configs/tiny.yaml --set grpo.max_steps=2 --no-curriculum
    gamecwm train --config configs/grpo.yaml --set sft_adapter=runs/sft-20261121/sft/adapter

`--set section.key=value` overrides any field of the config (see configs/sft_grpo.yaml for them all);
`--no-curriculum` and `--no-scenarios` are the ablations. For several GPUs, the same command runs under
`accelerate launch --config_file configs/accelerate/ddp.yaml -m gamecwm.cli train ...`.
"""

from __future__ import annotations

import argparse

from gamecwm.train.config import TrainConfig, add_config_arguments, load_config


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train with SFT and GRPO (TRL + PEFT LoRA)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_config_arguments(parser, "configs/sft_grpo.yaml, configs/tiny.yaml, ...", "sft.learning_rate=2e-5")
    parser.add_argument("--no-curriculum", action="store_true", help="GRPO on all tiers at once (ablation)")
    parser.add_argument("--no-scenarios", action="store_true", help="reward without the scenario tier (ablation)")
    parser.set_defaults(run=run)


def resolve(args: argparse.Namespace) -> TrainConfig:
    overrides = list(args.overrides)
    if args.no_curriculum:
        overrides.append("curriculum=false")
    if args.no_scenarios:
        overrides.append("scenarios=false")
    return load_config(TrainConfig, args.config, overrides)


def run(args: argparse.Namespace) -> int:
    import yaml

    from gamecwm.train.config import to_dict
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
