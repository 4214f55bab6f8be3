"""The MLX LoRA run: the base model (rope_theta patched), the data, the training child, fusing.

    run_dir = run_mlx_lora(load_config(MLXLoraConfig, "configs/mlx_lora.yaml"))

Nothing here imports mlx: the child (`python -m gamecwm.train.mlx`, child.py) and `mlx_lm fuse` run in their
own processes.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from gamecwm.train.common import cached_hub_model
from gamecwm.train.config import TINY_MODEL, save_config
from gamecwm.train.mlx.config import SCHEDULES, MLXLoraConfig, MLXLoraError, check_config, require_mlx
from gamecwm.train.runs import create_run_dir, ensure_datasets, pick_run_dir
from gamecwm.train.runs import say as runs_say

COMMAND = "train-mlx"
TOKENIZER_FILES = (
    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "chat_template.jinja",
    "chat_template.json", "vocab.json", "merges.txt", "tokenizer.model",
)  # fmt: skip
PASSED_AS_IS = (
    "seed", "num_layers", "optimizer", "learning_rate", "batch_size", "grad_accumulation_steps", "max_seq_length",
    "mask_prompt", "grad_checkpoint", "steps_per_report", "steps_per_eval", "val_batches", "save_every",
)  # fmt: skip
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def say(message: str) -> None:
    """A progress line, `[gamecwm train-mlx] ...` on stderr."""
    runs_say(message, COMMAND)


def with_top_level_rope(config: dict[str, Any]) -> dict[str, Any]:
    """`config` with rope_theta (and, for scaled RoPE, rope_scaling) copied out of transformers 5's rope_parameters."""
    params = config.get("rope_parameters")
    if not isinstance(params, dict) or "rope_theta" not in params or "rope_theta" in config:
        return config
    fixed = dict(config, rope_theta=params["rope_theta"])
    if params.get("rope_type", "default") != "default" and config.get("rope_scaling") is None:
        fixed["rope_scaling"] = {k: v for k, v in params.items() if k != "rope_theta"}
    return fixed


def read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def prepare_base(config: MLXLoraConfig, run_dir: Path) -> str:
    """The base model location handed to mlx_lm, patched so that mlx_lm reads its real RoPE base.

    transformers 5 saves the RoPE base only inside `rope_parameters` ({"rope_theta": ..., "rope_type": ...}).
    mlx_lm's Llama and Qwen2 read only a top-level `rope_theta` and otherwise silently take their class default
    (10000 for Llama, 1e6 for Qwen2): the model loads and trains with every rotary angle wrong. A local folder
    without the key is therefore mirrored into <run>/base/ (symlinks to its files and a config.json with
    rope_theta, and rope_scaling for scaled RoPE, copied out of rope_parameters); `tiny` is built there. A hub id
    is looked up in the local cache and treated alike; one not cached is left to mlx_lm to fetch, and the child
    refuses to train if what it fetched has the same gap.
    """
    run_dir = run_dir.resolve()
    if config.base_model == TINY_MODEL:
        from gamecwm.train.tiny import build_tiny_model

        folder = build_tiny_model(run_dir / "base")
        write_json(folder / "config.json", with_top_level_rope(read_json(folder / "config.json")))
        return str(folder)
    folder = Path(config.base_model).expanduser()
    if not folder.exists():
        if config.base_model.startswith((".", "/", "~")):
            raise FileNotFoundError(f"base model folder not found: {folder}")
        folder = cached_hub_model(config.base_model)
        if folder is None:
            return config.base_model
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"base model folder {folder} has no config.json; pass a Hugging Face model folder")
    original = read_json(folder / "config.json")
    fixed = with_top_level_rope(original)
    if fixed is original:
        return str(folder.resolve())
    mirror = run_dir / "base"
    mirror.mkdir(parents=True)
    for entry in folder.iterdir():
        if entry.name != "config.json":
            (mirror / entry.name).symlink_to(entry.resolve())
    write_json(mirror / "config.json", fixed)
    say(f"{folder}/config.json has no top-level rope_theta (mlx_lm would use its default); patched copy in {mirror}")
    return str(mirror)


def ensure_data(config: MLXLoraConfig) -> Path:
    data = Path(config.data_dir)
    if (data / "train.jsonl").is_file():
        return data
    if data.name != "sft":
        raise FileNotFoundError(
            f"no train.jsonl in {data}; point data_dir at a folder with train.jsonl and valid.jsonl, "
            "or at <folder>/sft to have `gamecwm data` write it there"
        )
    message = f"writing the SFT data (`gamecwm data --out {data.parent}`)"
    ensure_datasets(data.parent, ["sft/train.jsonl"], config.valid_games, config.seed, message, COMMAND)
    return data


def lr_schedule(config: MLXLoraConfig, iters: int) -> dict[str, Any]:
    """mlx_lm's lr_schedule: linear warmup from 0, then the schedule; steps count optimizer updates."""
    updates = max(1, iters // config.grad_accumulation_steps)
    warmup = math.ceil(config.warmup_ratio * updates)
    steps, lr = max(1, updates - warmup), config.learning_rate
    end = lr if config.lr_schedule == "constant" else 0.0
    arguments = [lr, steps, end] if config.lr_schedule == "cosine" else [lr, end, steps]
    return {"name": SCHEDULES[config.lr_schedule], "arguments": arguments, "warmup": warmup, "warmup_init": 0.0}


def mlx_arguments(config: MLXLoraConfig, model: str, data: Path, run_dir: Path) -> dict[str, Any]:
    """The `mlx_lm lora -c` config for this run (keys as in mlx_lm.lora.CONFIG_DEFAULTS)."""
    examples = sum(1 for line in (data / "train.jsonl").open(encoding="utf-8") if line.strip())
    iters = config.iters if config.iters > 0 else math.ceil(config.epochs * examples / config.batch_size)
    lora = {"rank": config.lora_rank, "scale": config.lora_scale, "dropout": config.lora_dropout}
    if config.lora_keys:
        lora["keys"] = list(config.lora_keys)
    same = {key: getattr(config, key) for key in PASSED_AS_IS}
    return {"model": model, "train": True, "data": str(data.resolve()), "fine_tune_type": "lora",
            "adapter_path": str((run_dir / "adapters").resolve()), "iters": iters, "lora_parameters": lora,
            "optimizer_config": {"adamw": {"weight_decay": config.weight_decay}},
            "lr_schedule": lr_schedule(config, iters), **same}  # fmt: skip


def stream(command: list[str], log: Path, what: str) -> None:
    """Run `command`, echoing its output to the terminal and (without colour codes) to `log`."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    last = ""
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(command)}\n")
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace", env=env
        ) as proc:
            for line in proc.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                out.write(ANSI.sub("", line))
                last = ANSI.sub("", line).strip() or last
    if proc.returncode != 0:
        raise MLXLoraError(f"{what} failed (exit code {proc.returncode}): {last}; full output in {log}")


def finish_fused(fused: Path, base: str) -> None:
    """Make mlx_lm's fused folder read the same in transformers, mlx_lm and llama.cpp's converter.

    config.json gets the top-level rope_theta mlx_lm needs, beside transformers 5's rope_parameters. The tokenizer
    files are the base's, byte for byte: mlx_lm re-saves the tokenizer through whatever class transformers picks
    for the model type (SmolLM2's tokenizer in a tiny Qwen2 comes back as Qwen2Tokenizer, with Qwen2's
    pre-tokenizer written into tokenizer.json), and fusing must not change how text is tokenized.
    """
    write_json(fused / "config.json", with_top_level_rope(read_json(fused / "config.json")))
    base_dir = Path(base) if Path(base).is_dir() else cached_hub_model(base)
    if base_dir is None or not any((base_dir / name).is_file() for name in TOKENIZER_FILES):
        say(f"kept mlx_lm's re-saved tokenizer in {fused}: the base's tokenizer files were not found locally")
        return
    for name in TOKENIZER_FILES:
        (fused / name).unlink(missing_ok=True)
        if (base_dir / name).is_file():
            shutil.copyfile(base_dir / name, fused / name)


def run_mlx_lora(config: MLXLoraConfig) -> Path:
    """Train, log and fuse; return the run folder."""
    check_config(config)
    require_mlx()
    data = ensure_data(config)
    run_dir = pick_run_dir(config, "mlx-lora")
    model = prepare_base(config, run_dir)  # first, so that a missing base leaves no run folder behind
    create_run_dir(run_dir)  # and runs/latest
    save_config(config, run_dir / "config.yaml")
    arguments = mlx_arguments(config, model, data, run_dir)
    (run_dir / "mlx_lora.yaml").write_text(yaml.safe_dump(arguments, sort_keys=False), encoding="utf-8")
    say(f"run folder {run_dir}: {arguments['iters']} iterations of LoRA on {model}")
    log, started = run_dir / "train.log", time.perf_counter()
    stream([sys.executable, "-m", "gamecwm.train.mlx", str(run_dir)], log, "mlx_lm LoRA training")
    say(f"trained in {time.perf_counter() - started:.1f}s; adapters in {run_dir / 'adapters'}")
    if config.fuse:
        fused = run_dir / "fused"
        fuse = [sys.executable, "-m", "mlx_lm", "fuse", "--model", model, "--dequantize"]
        stream(fuse + ["--adapter-path", str(run_dir / "adapters"), "--save-path", str(fused)], log, "mlx_lm fuse")
        finish_fused(fused, model)
        say(f"fused model in {fused}; to GGUF: gamecwm export all --model {fused} --out {run_dir / 'export'}")
    return run_dir
