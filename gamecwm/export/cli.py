"""`gamecwm export merge|gguf|quantize|check|all`: ship a trained model as GGUF for llama.cpp.

    gamecwm export all --adapter runs/latest --out runs/latest/export --name gamecwm-3b
    gamecwm export merge --adapter runs/latest/adapter --out merged/
    gamecwm export gguf merged/ --outtype f16 --out gamecwm-F16.gguf
    gamecwm export quantize gamecwm-F16.gguf --type Q4_K_M
    gamecwm export check gamecwm-Q4_K_M.gguf --json

Exit status: 0 on success, 1 when `check` finds problems, 2 on bad input or a failed step (the message
says what failed and how to fix it). Defaults and help texts live in each step's config dataclass.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gamecwm.export import ExportError
from gamecwm.export.check import GGUFCheck
from gamecwm.export.gguf import OUTTYPES, GGUFConfig
from gamecwm.export.lora import LoraGGUFConfig
from gamecwm.export.merge import DTYPES, MergeConfig
from gamecwm.export.pipeline import ExportAllConfig
from gamecwm.export.quantize import COMMON_TYPES, QuantizeConfig
from gamecwm.flags import add_flag, config_from


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser(
        "export",
        help="merge adapters, convert to GGUF, quantize, validate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.set_defaults(run=lambda args: _usage(export))
    steps = export.add_subparsers(title="steps", dest="export_command", metavar="STEP")

    p = steps.add_parser("merge", help="merge a PEFT LoRA adapter into its base (HF folder)")
    add_flag(p, MergeConfig, "base")
    add_flag(p, MergeConfig, "adapter", type=Path, required=True)
    add_flag(p, MergeConfig, "out", type=Path, required=True)
    add_flag(p, MergeConfig, "dtype", choices=DTYPES)
    p.set_defaults(run=run_merge)

    p = steps.add_parser("gguf", help="convert an HF folder to GGUF with llama.cpp's converter")
    add_flag(p, GGUFConfig, "model", "model", type=Path)
    add_flag(p, GGUFConfig, "out", type=Path, required=True)
    add_flag(p, GGUFConfig, "outtype", choices=OUTTYPES)
    add_flag(p, GGUFConfig, "converter", type=Path)
    add_flag(p, GGUFConfig, "name")
    add_flag(p, GGUFConfig, "verbose", action="store_true")
    p.set_defaults(run=run_gguf)

    p = steps.add_parser("quantize", help="quantize a GGUF (Q4_K_M, Q5_K_M, Q8_0, ...)")
    add_flag(p, QuantizeConfig, "src", "src", type=Path, metavar="FILE")
    add_flag(p, QuantizeConfig, "type", type=str.upper, metavar="TYPE")
    p.epilog = f"common types: {', '.join(COMMON_TYPES)}"
    add_flag(p, QuantizeConfig, "out", type=Path)
    add_flag(p, QuantizeConfig, "threads", type=int)
    add_flag(p, QuantizeConfig, "allow_requantize", action="store_true")
    add_flag(p, QuantizeConfig, "verbose", action="store_true")
    p.set_defaults(run=run_quantize)

    p = steps.add_parser("lora", help="a PEFT adapter as a GGUF LoRA, applied by llama.cpp on its base GGUF")
    for name in ("adapter", "base", "out"):
        add_flag(p, LoraGGUFConfig, name, required=True)
    add_flag(p, LoraGGUFConfig, "outtype")
    add_flag(p, LoraGGUFConfig, "converter")
    p.set_defaults(run=run_lora)

    p = steps.add_parser("check", help="validate a GGUF: architecture, file type, tokenizer, chat template")
    p.add_argument("file", type=Path, help="GGUF file")
    p.add_argument("--type", dest="expect_type", type=str.upper, help="fail unless the file type is this one")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.set_defaults(run=run_check)

    p = steps.add_parser("all", help="merge -> F16 GGUF -> Q8_0 and Q4_K_M, checked (make export-gguf)")
    source = p.add_mutually_exclusive_group(required=True)
    add_flag(source, ExportAllConfig, "adapter", type=Path)
    add_flag(source, ExportAllConfig, "model", type=Path)
    for name in ("base", "name", "converter"):
        add_flag(p, ExportAllConfig, name, type=Path if name == "converter" else str)
    add_flag(p, ExportAllConfig, "out", type=Path)
    add_flag(p, ExportAllConfig, "outtype", choices=OUTTYPES)
    add_flag(p, ExportAllConfig, "types", type=_type_list, metavar="TYPE,TYPE")
    add_flag(p, ExportAllConfig, "dtype", choices=DTYPES)
    p.set_defaults(run=run_all)


def _type_list(text: str) -> tuple[str, ...]:
    return tuple(t.strip().upper() for t in text.split(",") if t.strip())


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_merge(args: argparse.Namespace) -> int:
    from gamecwm.export.merge import merge

    print(merge(config_from(MergeConfig, args)))
    return 0


def run_gguf(args: argparse.Namespace) -> int:
    from gamecwm.export.gguf import convert

    print(convert(config_from(GGUFConfig, args)))
    return 0


def run_quantize(args: argparse.Namespace) -> int:
    from gamecwm.export.quantize import quantize

    print(quantize(config_from(QuantizeConfig, args)))
    return 0


def run_lora(args: argparse.Namespace) -> int:
    from gamecwm.export.lora import convert_lora

    print(convert_lora(config_from(LoraGGUFConfig, args)))
    return 0


def run_check(args: argparse.Namespace) -> int:
    from gamecwm.export.check import check_gguf, dumps, render

    report: GGUFCheck = check_gguf(args.file, expect_type=args.expect_type)
    print(dumps(report) if args.json else render(report))
    return 0 if report.ok else 1


def run_all(args: argparse.Namespace) -> int:
    from gamecwm.export.pipeline import export_all

    export_all(config_from(ExportAllConfig, args))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gamecwm")
    add_parsers(parser.add_subparsers(dest="command", metavar="COMMAND"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """`python -m gamecwm.export.cli export ...`: the same as `gamecwm export ...`."""
    args = build_parser().parse_args(argv)
    if getattr(args, "run", None) is None:
        build_parser().print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except (ExportError, FileNotFoundError) as exc:
        print(f"gamecwm export: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
