"""`gamecwm export check`: a GGUF without a chat template (or not a GGUF at all) fails, with the reason."""

from __future__ import annotations

import json

import pytest

from gamecwm.export import ExportError
from gamecwm.export.check import check_gguf
from gamecwm.export.cli import main


def write_gguf(path, chat_template: str | None) -> None:
    """A small but complete-looking llama GGUF: metadata, a tokenizer, one tensor; template optional."""
    import gguf
    import numpy as np

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("handmade")
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_context_length(128)
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list(["<|im_start|>", "<|im_end|>", "a", "b"])
    if chat_template is not None:
        writer.add_chat_template(chat_template)
    writer.add_tensor("token_embd.weight", np.zeros((4, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def test_gguf_without_chat_template_fails_with_the_reason(tmp_path, capsys):
    path = tmp_path / "no-template.gguf"
    write_gguf(path, chat_template=None)
    report = check_gguf(path)
    assert not report.ok and not report.chat_template
    assert report.architecture == "llama" and report.file_type == "F32"
    assert any("tokenizer.chat_template" in p and "fall back" in p for p in report.problems)
    assert len(report.problems) == 1
    assert main(["export", "check", str(path), "--json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["ok"] is False and printed["chat_template"] is False


def test_same_gguf_with_a_chat_template_passes(tmp_path, capsys):
    path = tmp_path / "template.gguf"
    write_gguf(path, chat_template="{% for m in messages %}<|im_start|>{{ m['content'] }}<|im_end|>{% endfor %}")
    assert check_gguf(path, expect_type="F32").ok
    assert main(["export", "check", str(path)]) == 0
    assert "chat template  yes" in capsys.readouterr().out


def test_wrong_file_type_is_reported(tmp_path):
    path = tmp_path / "template.gguf"
    write_gguf(path, chat_template="x")
    assert check_gguf(path, expect_type="Q4_K_M").problems == ["file type is F32, expected Q4_K_M"]


def test_not_a_gguf_and_missing_file(tmp_path, capsys):
    junk = tmp_path / "junk.gguf"
    junk.write_text("hello")
    report = check_gguf(junk)
    assert not report.ok and "not a readable GGUF" in report.problems[0]
    with pytest.raises(ExportError, match="GGUF not found: .*missing.gguf.*make export-gguf"):
        check_gguf(tmp_path / "missing.gguf")
    assert main(["export", "check", str(tmp_path / "missing.gguf")]) == 2
    assert "GGUF not found" in capsys.readouterr().err
