"""Generation speed side by side: `gamecwm generate`'s engine, a bare llama-cpp-python call, and
transformers on CPU, on the embedded SmolLM2-135M GGUF and the same prompt.

    python benchmarks/runtime_vs_peers.py [--tokens 256] [--repeats 3]

Greedy decoding with a fixed token budget, so every contender produces the same number of tokens
(the run checks it). Ours streams through `LlamaGenerator.stream`; the bare call is one
`Llama.create_chat_completion` on the same loaded model; transformers loads the same GGUF
(dequantized to float32) and calls `generate`. Prints tokens/second (median) and the two ratios.
"""

from __future__ import annotations

import argparse
import statistics
import time

from gamecwm.games import get_pack
from gamecwm.prompts import build_messages
from gamecwm.runtime import LlamaGenerator, default_model_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--game", default="gen_tic_tac_toe")
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    messages = build_messages(get_pack(args.game))
    ours = LlamaGenerator(n_ctx=4096)
    llm = ours.llm
    budget = {"max_tokens": args.tokens, "temperature": 0.0, "seed": 0}

    def run_ours():
        text = "".join(ours.stream(messages, repeat_penalty=1.0, **budget))
        return lambda: ours.count_tokens(text)  # counted after the clock stops

    def run_bare():
        reply = llm.create_chat_completion(messages=messages, **budget)
        return lambda: reply["usage"]["completion_tokens"]

    run_transformers, hf_load_s = transformers_runner(messages, args.tokens)
    rates: dict[str, list[float]] = {"gamecwm (llama.cpp, streamed)": [], "bare llama-cpp-python": [],
                                     "transformers (CPU, float32)": []}  # fmt: skip
    for _ in range(args.repeats):  # interleaved, so load changes hit every contender alike
        for name, run in zip(rates, (run_ours, run_bare, run_transformers), strict=True):
            start = time.perf_counter()
            count = run()
            elapsed = time.perf_counter() - start
            rates[name].append(count() / elapsed)
    print(f"{args.game} prompt, {args.tokens} new tokens, greedy, median of {args.repeats} (prompt included)")
    print(f"model: {default_model_path().name}; transformers loaded the GGUF in {hf_load_s:.1f} s\n")
    print("| engine | tokens/s |")
    print("|---|---:|")
    medians = {name: statistics.median(values) for name, values in rates.items()}
    for name, value in medians.items():
        print(f"| {name} | {value:.1f} |")
    ours_rate, bare, hf = medians.values()
    print(f"\nratio_vs_bare_llama_cpp={ours_rate / bare:.3f}")
    print(f"ratio_vs_transformers={ours_rate / hf:.2f}")


def transformers_runner(messages: list[dict[str, str]], tokens: int):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = default_model_path()
    start = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, torch_dtype=torch.float32)
    model.eval()
    load_s = time.perf_counter() - start
    inputs = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)

    def run():
        with torch.no_grad():
            output = model.generate(**inputs, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False)
        return lambda: output.shape[1] - inputs["input_ids"].shape[1]

    return run, load_s


if __name__ == "__main__":
    main()
