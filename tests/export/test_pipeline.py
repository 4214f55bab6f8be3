"""`gamecwm export all` (what `make export-gguf` runs) and the command line around the export steps."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from gamecwm.export.check import check_gguf
from gamecwm.export.cli import main
from gamecwm.export.pipeline import find_adapter, mlx_fused


@pytest.mark.slow
def test_all_exports_f16_q8_0_and_q4_k_m_from_a_run_folder(tiny_adapter, tmp_path, capsys):
    run = tmp_path / "runs" / "20250101-sft"
    shutil.copytree(tiny_adapter, run / "checkpoint-10")
    time.sleep(0.05)
    shutil.copytree(tiny_adapter, run / "final")
    (run / "final" / "adapter_config.json").touch()
    out = tmp_path / "export"
    assert main(["export", "all", "--adapter", str(run), "--out", str(out), "--name", "tiny"]) == 0
    table = capsys.readouterr().out
    for qtype in ("F16", "Q8_0", "Q4_K_M"):
        path = out / f"tiny-{qtype}.gguf"
        assert check_gguf(path, expect_type=qtype).ok
        assert f"| tiny-{qtype}.gguf | {qtype} |" in table and "MiB |" in table
    manifest = json.loads((out / "tiny-export.json").read_text())
    assert manifest["adapter"] == str(run / "final") and all(row["ok"] for row in manifest["files"])
    assert (out / "tiny-hf" / "config.json").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".gamecwm-partial")]


def test_all_without_a_training_run_says_to_train(tmp_path, capsys):
    assert main(["export", "all", "--adapter", str(tmp_path / "runs" / "latest"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no training run at" in err and "make train" in err and "RUN=" in err


def test_run_folder_without_adapter_says_to_train(tmp_path, capsys):
    (tmp_path / "run").mkdir()
    assert main(["export", "all", "--adapter", str(tmp_path / "run")]) == 2
    assert "holds no adapter" in capsys.readouterr().err


def test_find_adapter_accepts_the_adapter_folder_itself(tiny_adapter):
    assert find_adapter(tiny_adapter) == tiny_adapter


def test_export_help_loads_no_heavy_library():
    code = (
        "import sys, gamecwm.export.cli as c; c.build_parser().parse_args(['export', 'check', 'x.gguf']);"
        "print(sorted(m for m in ('torch', 'transformers', 'peft', 'gguf', 'llama_cpp') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ), check=True)
    assert out.stdout.strip() == "[]"


def test_an_mlx_run_exports_its_fused_model(tmp_path):
    # `make export-gguf` reads runs/latest, which an MLX run (`make train-mlx`) also updates
    run = tmp_path / "mlx-run"
    (run / "fused").mkdir(parents=True)
    assert mlx_fused(run) is None  # not yet fused
    (run / "fused" / "config.json").write_text("{}")
    assert mlx_fused(run) == run / "fused"
    assert mlx_fused(tmp_path) is None
