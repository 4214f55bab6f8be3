"""`gamecwm train-mlx`: LoRA with `mlx_lm lora` on the SFT data, then `mlx_lm fuse` into a Hugging Face folder.

    gamecwm train-mlx --config configs/mlx_lora.yaml                  # `make train-mlx` (Apple silicon)
    gamecwm train-mlx --config configs/mlx_lora.yaml --set base_model=tiny --set iters=4 --set max_seq_length=512 \
        --set mask_prompt=false --set learning_rate=1e-3 --set grad_accumulation_steps=1   # smoke run, any CPU

A run folder `runs/<name>/` holds config.yaml (the resolved MLXLoraConfig), mlx_lora.yaml (what mlx_lm was
given; `mlx_lm lora -c` repeats the run from it), base/ (only when the base needed the rope_theta patch, see
`prepare_base`), adapters/ (mlx_lm's), metrics.jsonl (train loss, learning rate, it/s, tokens/s and peak memory
per report; val loss), train.log (all the output) and fused/ (for `gamecwm export all --model runs/<name>/fused`).
`runs/latest` points at the newest run folder, this command's or `gamecwm train`'s.

Training runs in a child process (`python -m gamecwm.train.mlx RUN_DIR`), so mlx's memory, compiled graphs and
patched classes go with it. The child runs mlx_lm's own steps (load, load_dataset, train_model) with a
TrainingCallback writing metrics.jsonl, rather than parsing the console: mlx_lm 0.32 prints no learning rate,
it/s or memory, and its format changed between releases. (`mlx_lm.lora.run` swaps any callback it is given for
its wandb/swanlab reporters, hence train_model.) Fusing is the `mlx_lm fuse` command without --export-gguf,
whose GGUF llama.cpp rejects; `gamecwm export` converts the fused folder.
"""
