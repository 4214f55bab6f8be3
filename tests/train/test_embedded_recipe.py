"""The CPU recipe (`make train-embedded`, configs/embedded_cpu.yaml) end to end on the tiny model:
its data, a few SFT steps with validation, metrics.jsonl, then `gamecwm ship`."""

import json
from pathlib import Path

import pytest

from gamecwm.cli import main
from gamecwm.train.config import TrainConfig, load_config
from gamecwm.train.pipeline import run_training

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("embedded")
    overrides = ["base_model=tiny", "sft.max_steps=3", "sft.eval_steps=2", "sft.gradient_accumulation_steps=1",
                 "sft.max_length=8192", f"runs_dir={tmp / 'runs'}", f"data_dir={tmp / 'data'}"]  # fmt: skip
    config = load_config(TrainConfig, ROOT / "configs" / "embedded_cpu.yaml", overrides)
    return run_training(config, "embedded")


def test_the_recipe_builds_its_own_data(run):
    config = json.loads((Path(load_config(TrainConfig, run / "config.yaml").data_dir) / "manifest.json").read_text())
    assert (config["phrasings"], config["function_rows"], config["repair_rows"]) == (2, 1, 0)
    assert config["sft_rows"] == {"train": 21 * 3, "valid": 2}


def test_metrics_hold_loss_validation_loss_and_tokens_per_second(run):
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows if "loss" in r] == [1, 2, 3]
    assert [r["step"] for r in rows if "eval_loss" in r] == [0, 2, 3]  # the base model, every 2 steps, the end
    assert all(r["tokens_per_second"] > 0 for r in rows if "loss" in r and r["step"] > 1)


def test_cpu_bf16_asks_the_trainer_for_autocast_on_the_cpu(monkeypatch):
    from gamecwm.train.common import precision_args

    monkeypatch.setattr("gamecwm.train.common.cuda_available", lambda: False)
    assert precision_args(load_config(TrainConfig, None, ["cpu_bf16=true"])) == {
        "use_cpu": True,
        "bf16": True,
        "fp16": False,
    }
    assert precision_args(load_config(TrainConfig, ROOT / "configs" / "embedded_cpu.yaml"))["bf16"] is False


def test_ship_writes_the_gguf_lora_and_its_model_card(run, tmp_path, capsys):
    pytest.importorskip("llama_cpp")
    out = tmp_path / "embedded" / "adapter.gguf"
    assert main(["ship", "--run-dir", str(run), "--out", str(out)]) == 0
    assert out.is_file() and out.read_bytes()[:4] == b"GGUF"
    assert run.name.encode() not in out.read_bytes()  # the metadata names the base, not the run (its time)
    card = (out.parent / "MODEL_CARD.md").read_text()
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in card and "3 optimizer steps" in card
    assert "phrasings: 2" in card and "sha256" in card


def test_the_quoted_results_keep_code_comments_as_they_are():
    from gamecwm.train.ship import demote_headings

    markdown = "# Results\n\n## Held out\n\n```bash\n# one report:\ngamecwm eval\n```\n\n## After"
    assert demote_headings(markdown) == [
        "## Results", "", "### Held out", "", "```bash", "# one report:", "gamecwm eval", "```", "", "### After"
    ]  # fmt: skip
