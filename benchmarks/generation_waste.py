"""What stopping at the closed code block and reusing the prompt's KV cache save, per held-out sample.

    python benchmarks/generation_waste.py [--games eval] [--samples 2] [--max-tokens 2048] [--model X.gguf]

For each game and sample (temperature 0.3, the same seed for both contenders), two ways to generate
on one loaded model, interleaved:
- before: the reply runs to its end (or the token budget), and the KV cache is cleared before each
  sample, so the whole prompt is evaluated again;
- after (`gamecwm generate` today): the reply stops once its ```python block closes, and a sample of a
  prompt already in the cache evaluates only what it does not share.
Prints, per contender, the median seconds per sample, generated tokens per sample and tokens per second
(generated tokens over wall time), then `ratio_seconds_per_sample=<after / before>`.
"""

from __future__ import annotations

import argparse
import statistics
import time

from gamecwm.games import catalog, get_pack
from gamecwm.prompts import build_messages
from gamecwm.runtime import LlamaGenerator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", default="eval", help="eval, or comma-separated ids")
    parser.add_argument("--samples", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=2048)
    parser.add_argument("--model", help="GGUF model (default: the embedded one)")
    args = parser.parse_args()
    packs = [p for p in catalog() if p.split == "eval"] if args.games == "eval" else [
        get_pack(g) for g in args.games.split(",")]  # fmt: skip
    generator = LlamaGenerator(args.model, n_ctx=8192)
    results: dict[str, list[tuple[float, int]]] = {"before": [], "after": []}
    for pack in packs:
        messages = build_messages(pack)
        for sample in range(args.samples):
            for name in ("before", "after"):
                after = name == "after"
                if not after:
                    generator.llm.reset()  # nothing of the prompt stays in the cache
                started = time.perf_counter()
                text = "".join(generator.stream(messages, temperature=0.3, max_tokens=args.max_tokens,
                                                seed=sample, stop_after_code=after))  # fmt: skip
                seconds = time.perf_counter() - started
                results[name].append((seconds, generator.count_tokens(text)))
                print(f"{pack.id:16s} sample {sample} {name:6s} {seconds:6.1f} s {results[name][-1][1]:5d} tokens",
                      flush=True)  # fmt: skip
    for name, rows in results.items():
        seconds = statistics.median(s for s, _ in rows)
        tokens = statistics.median(t for _, t in rows)
        rate = sum(t for _, t in rows) / sum(s for s, _ in rows)
        print(f"{name:6s}: {seconds:6.1f} s per sample, {tokens:6.0f} tokens per sample, {rate:6.1f} tokens/s")
    ratio = statistics.median(s for s, _ in results["after"]) / statistics.median(s for s, _ in results["before"])
    print(f"ratio_seconds_per_sample={ratio:.3f}")


if __name__ == "__main__":
    main()
