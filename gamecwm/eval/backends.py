"""Generation backends for the evaluation: llama.cpp (GGUF), transformers (HF folder) and vLLM.

    >>> from gamecwm.eval.backends import make_backend
    >>> backend = make_backend(None)  # the embedded SmolLM2-135M-Instruct GGUF, through llama.cpp
    >>> backend.generate([[{"role": "user", "content": "Say hi."}]], seeds=[0], temperature=0.3, max_tokens=8)

Every backend answers `generate(messages_list, seeds, temperature, max_tokens) -> list[str]`, one reply
per conversation, and has a `name` and a `batch_size` (how many conversations it is best given at
once). Sampling: `temperature` (0 means greedy) with top-p 0.95. llama.cpp samples exactly as
`gamecwm generate` does (llama-cpp-python's defaults besides: top-k 40, min-p 0.05, and the runtime's
repeat penalty of 1.1 over the last 64 tokens); transformers and vLLM use temperature and top-p alone
(no top-k, no repetition penalty, whatever the model's `generation_config` suggests), so that one
model gives the same distribution on both. Seeds: llama.cpp and vLLM seed each reply; transformers
samples a batch from one generator seeded with the batch's first seed, so its replies reproduce for
the same batch size.

torch, transformers, peft, llama_cpp and vllm are imported inside the backends that need them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from gamecwm.eval.config import BACKENDS
from gamecwm.runtime.llama import is_embedded

TOP_P = 0.95
Messages = list[dict[str, str]]


class Backend(Protocol):
    name: str
    batch_size: int

    def generate(
        self, messages_list: list[Messages], seeds: list[int], temperature: float, max_tokens: int
    ) -> list[str]: ...


def resolve_backend(model: Path | None, backend: str = "auto") -> str:
    """The backend for `model`: as asked, else llama.cpp for a GGUF file (or none) and transformers for a folder."""
    if backend != "auto":
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; choose auto or one of {', '.join(BACKENDS)}")
        return backend
    if is_embedded(model) or model.suffix == ".gguf":
        return "llama_cpp"
    return "transformers"


def model_name(model: Path | None, adapter: Path | None = None) -> str:
    """A short name for results: the GGUF's stem or the HF folder's name, plus `+` the adapter folder's name."""
    if adapter is None and is_embedded(model):
        from gamecwm.runtime.llama import resolve_model

        gguf, lora = resolve_model(model)  # the embedded model, with the shipped adapter by default
        return gguf.stem + (f"+{lora.name.removesuffix('.gguf')}" if lora else "")
    if model is None:  # an adapter alone: its base model, from adapter_config.json
        model = Path(adapter_base(adapter))
    base = model.stem if model.suffix == ".gguf" else model.name
    return f"{base}+{adapter.name}" if adapter is not None else base


def adapter_base(adapter: Path) -> str:
    """The base model an adapter was trained on, from its `adapter_config.json`."""
    config = adapter / "adapter_config.json"
    if not config.is_file():
        raise FileNotFoundError(f"not a PEFT adapter folder (no adapter_config.json): {adapter}")
    base = json.loads(config.read_text(encoding="utf-8")).get("base_model_name_or_path")
    if not base:
        raise ValueError(f"{config} names no base_model_name_or_path; pass --model")
    return base


class LlamaCppBackend:
    """A GGUF model through llama.cpp on the CPU (the runtime's `LlamaGenerator`), one reply at a time."""

    batch_size = 1

    def __init__(self, model: Path | None = None, threads: int | None = None, n_ctx: int = 8192) -> None:
        from gamecwm.runtime import LlamaGenerator

        self.generator = LlamaGenerator(model, n_ctx=n_ctx, threads=threads)
        self.name = self.generator.name

    def generate(
        self, messages_list: list[Messages], seeds: list[int], temperature: float, max_tokens: int
    ) -> list[str]:
        return [
            "".join(
                self.generator.stream(messages, temperature=temperature, max_tokens=max_tokens, seed=seed, top_p=TOP_P)
            )
            for messages, seed in zip(messages_list, seeds, strict=True)
        ]


class TransformersBackend:
    """An HF model folder or a GGUF file (dequantized), optionally with a PEFT adapter; batched `generate`.

    On CUDA when available (bf16), else on the CPU (fp32).
    """

    def __init__(
        self, model: Path | str | None, adapter: Path | None = None, batch_size: int = 8, device: str | None = None
    ) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if is_embedded(model):  # the adapter's base, or the embedded GGUF
            if adapter is None:
                from gamecwm.runtime import default_model_path

                model = default_model_path()
            else:
                model = adapter_base(adapter)
        if isinstance(model, Path) and not (model.is_dir() or (model.suffix == ".gguf" and model.is_file())):
            raise FileNotFoundError(f"model not found: {model}; pass an HF model folder (or a .gguf) to --model")
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        dtype = torch.bfloat16 if self.device.startswith("cuda") else torch.float32
        if Path(str(model)).suffix == ".gguf":  # transformers dequantizes a GGUF into a plain model
            from gamecwm.export.merge import load_base

            loaded, self.tokenizer = load_base(str(model), "bfloat16" if dtype == torch.bfloat16 else "float32")
            self.tokenizer.padding_side = "left"
        else:
            self.tokenizer = AutoTokenizer.from_pretrained(model, padding_side="left")
            loaded = AutoModelForCausalLM.from_pretrained(model, dtype=dtype)
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        if not self.tokenizer.chat_template:
            raise ValueError(f"the tokenizer of {model} has no chat template; evaluation prompts are chats")
        if adapter is not None:
            from peft import PeftModel

            loaded = PeftModel.from_pretrained(loaded, adapter)
        self.model = loaded.to(self.device).eval()
        self.batch_size = batch_size
        self.name = Path(str(model)).name

    def generate(
        self, messages_list: list[Messages], seeds: list[int], temperature: float, max_tokens: int
    ) -> list[str]:
        import torch

        if not messages_list:
            return []
        texts = [
            self.tokenizer.apply_chat_template(m, add_generation_prompt=True, tokenize=False) for m in messages_list
        ]
        batch = self.tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
        if temperature > 0:
            sampling = {"do_sample": True, "temperature": temperature, "top_p": TOP_P, "top_k": 0}
        else:  # greedy; None clears what the model's generation_config would add
            sampling = {"do_sample": False, "temperature": None, "top_p": None, "top_k": None}
        torch.manual_seed(seeds[0])
        with torch.no_grad():
            output = self.model.generate(
                **batch,
                max_new_tokens=max_tokens,
                pad_token_id=self.tokenizer.pad_token_id,
                repetition_penalty=1.0,
                **sampling,
            )
        replies = output[:, batch["input_ids"].shape[1] :]
        return self.tokenizer.batch_decode(replies, skip_special_tokens=True)


class VLLMBackend:
    """An HF model folder through vLLM (GPU), with an optional LoRA adapter; needs `pip install vllm`."""

    def __init__(
        self, model: Path | str | None, adapter: Path | None = None, batch_size: int = 64, max_model_len: int = 12288
    ) -> None:
        try:
            from vllm import LLM
        except ImportError as exc:
            raise ImportError(
                "the vllm backend needs vLLM, which is not installed: `pip install vllm` on a CUDA machine, "
                "or use --backend transformers"
            ) from exc
        if model is None:
            if adapter is None:
                raise ValueError("the vllm backend needs --model HF_DIR (or an --adapter naming its base)")
            model = adapter_base(adapter)
        self.llm = LLM(model=str(model), enable_lora=adapter is not None, max_model_len=max_model_len)
        self.lora = None
        if adapter is not None:
            from vllm.lora.request import LoRARequest

            self.lora = LoRARequest(adapter.name, 1, str(adapter))
        self.batch_size = batch_size
        self.name = Path(str(model)).name

    def generate(
        self, messages_list: list[Messages], seeds: list[int], temperature: float, max_tokens: int
    ) -> list[str]:
        from vllm import SamplingParams

        params = [
            SamplingParams(
                temperature=temperature, top_p=TOP_P if temperature > 0 else 1.0, max_tokens=max_tokens, seed=seed
            )
            for seed in seeds
        ]
        outputs = self.llm.chat(messages_list, params, lora_request=self.lora, use_tqdm=False)
        return [output.outputs[0].text for output in outputs]


def make_backend(
    model: Path | None,
    backend: str = "auto",
    adapter: Path | None = None,
    batch_size: int = 8,
    threads: int | None = None,
) -> Any:
    """Load the backend that serves `model` (see `resolve_backend`)."""
    kind = resolve_backend(model, backend)
    if kind == "llama_cpp":
        if adapter is not None:
            raise ValueError(
                "llama.cpp takes a merged GGUF, not an adapter: run `make export-gguf` first, "
                "or use --backend transformers with --adapter"
            )
        return LlamaCppBackend(model, threads=threads)
    if kind == "transformers":
        return TransformersBackend(model, adapter, batch_size=batch_size)
    return VLLMBackend(model, adapter, batch_size=max(batch_size, 1))
