"""The pipeline around the trainers: curriculum stages, the preflight, run folders, `make train-smoke`."""

import json
import subprocess
from pathlib import Path

import pytest

from gamecwm.cli import main
from gamecwm.train.common import MissingRequirement, preflight
from gamecwm.train.config import TrainConfig, load_config
from gamecwm.train.pipeline import curriculum
from gamecwm.train.runs import new_run_dir

ROOT = Path(__file__).resolve().parents[2]
ROWS = [{"game_id": f"g{i}", "tier": tier} for i, tier in enumerate([1, 1, 2, 3, 3, 4])]


def test_curriculum_trains_tier_by_tier_in_order():
    stages = curriculum(ROWS, enabled=True, seed=0)
    assert [s.name for s in stages] == ["tier1", "tier2", "tier3", "tier4"]
    assert [[r["game_id"] for r in s.rows] for s in stages] == [["g0", "g1"], ["g2"], ["g3", "g4"], ["g5"]]


def test_no_curriculum_is_one_shuffled_stage_over_every_tier():
    (stage,) = curriculum(ROWS, enabled=False, seed=0)
    assert stage.name == "all" and sorted(r["game_id"] for r in stage.rows) == [r["game_id"] for r in ROWS]
    assert [r["tier"] for r in stage.rows] != sorted(r["tier"] for r in stage.rows)


def test_preflight_names_what_is_missing_and_the_smoke_run(monkeypatch):
    monkeypatch.setattr("gamecwm.train.common.cuda_available", lambda: False)
    monkeypatch.setattr("gamecwm.train.common.cached_hub_model", lambda repo: None)
    config = load_config(TrainConfig, "configs/sft_grpo.yaml")
    with pytest.raises(MissingRequirement) as info:
        preflight(config)
    message = str(info.value)
    assert "no CUDA GPU" in message and "Qwen/Qwen2.5-3B-Instruct" in message and "make train-smoke" in message


def test_preflight_accepts_the_tiny_model_on_cpu():
    preflight(load_config(TrainConfig, "configs/tiny.yaml"))


def test_missing_local_base_is_reported(tmp_path):
    config = load_config(TrainConfig, None, [f"base_model={tmp_path / 'nothing'}"])
    with pytest.raises(MissingRequirement, match="base model not found"):
        preflight(config)


def test_make_train_stops_at_once_without_a_gpu(capsys):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert main(["train", "--config", "configs/sft_grpo.yaml"]) == 2
    assert "make train-smoke" in capsys.readouterr().err


def test_run_folders_are_new_and_latest_follows(tmp_path):
    config = load_config(TrainConfig, None, [f"runs_dir={tmp_path}", "run_name=a"])
    first = new_run_dir(config, "x")
    (first / "file").write_text("x")
    with pytest.raises(ValueError, match="already exists"):
        new_run_dir(config, "x")
    second = new_run_dir(load_config(TrainConfig, None, [f"runs_dir={tmp_path}", "run_name=b"]), "x")
    assert (tmp_path / "latest").resolve() == second.resolve()


def test_dry_run_prints_the_resolved_config(capsys):
    assert main(["train", "--config", "configs/tiny.yaml", "--no-curriculum", "--no-scenarios", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "curriculum: false" in out and "scenarios: false" in out and "base_model: tiny" in out


@pytest.mark.slow
def test_make_train_smoke_end_to_end(tmp_path):
    """data -> SFT -> GRPO (four curriculum tiers) -> merged model, through the Makefile, on CPU."""
    runs, data = tmp_path / "runs", tmp_path / "data"
    result = subprocess.run(
        ["make", "--no-print-directory", "train-smoke", f"RUNS={runs}", f"DATA={data}"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    run = (runs / "latest").resolve()
    assert (data / "sft" / "train.jsonl").is_file() and (data / "grpo" / "tier4.jsonl").is_file()
    assert load_config(TrainConfig, run / "config.yaml").base_model == "tiny"
    stages = {json.loads(line)["stage"] for line in (run / "metrics.jsonl").read_text().splitlines()}
    assert stages == {"sft", "grpo/tier1", "grpo/tier2", "grpo/tier3", "grpo/tier4"}
    for stage in ("sft", "grpo/tier1", "grpo/tier4"):
        assert (run / stage / "adapter" / "adapter_config.json").is_file()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(run / "model")
    assert model.config.num_hidden_layers == 2 and AutoTokenizer.from_pretrained(run / "model").chat_template


def test_datasets_are_rewritten_when_the_config_asks_for_other_rows(tmp_path, capsys):
    from gamecwm.train.runs import ensure_datasets

    needs = ["sft/train.jsonl"]
    ensure_datasets(tmp_path, needs, 2, 42, "writing", phrasings=1)
    ensure_datasets(tmp_path, needs, 2, 42, "writing again")  # same settings: kept
    assert "writing again" not in capsys.readouterr().err
    ensure_datasets(tmp_path, needs, 2, 42, "rewriting", phrasings=2, function_rows=1)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert (manifest["phrasings"], manifest["function_rows"]) == (2, 1) and manifest["sft_rows"]["train"] == 21 * 3
