"""GRPO on the tiny local model, with a stubbed rollout so the group's completions are known: the
verifier scores them, the rewards differ within the group, and the adapter learns from that."""

import json

import torch

from gamecwm.games import get_pack
from gamecwm.prompts import SYSTEM_PROMPT
from gamecwm.train.config import TrainConfig, load_config
from gamecwm.train.grpo import build_grpo_trainer, fit_prompts
from gamecwm.train.reward import VerifierReward

REFERENCE = get_pack("tic_tac_toe").reference_source
REPLIES = [
    f"```python\n{REFERENCE}```",  # perfect
    "```python\n"
    + REFERENCE.replace('"player": 1 - player, "winner": winner', '"player": player, "winner": None')
    + "```",  # plays, but never passes the turn nor finds a winner
    "```python\n" + REFERENCE.replace("def apply_action(", "def apply_move(") + "```",  # a missing function
    "I cannot write this game.",  # no code
]
ROWS = [
    {"prompt": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": f"Tic-tac-toe, take {i}."}],
     "game_id": "tic_tac_toe", "tier": 1}
    for i in range(2)
]  # fmt: skip


class Rollout:
    """Stands in for generation: the i-th completion of every group is REPLIES[i]."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.ids = [tokenizer(text, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
                    for text in REPLIES]  # fmt: skip
        self.calls = 0

    def __call__(self, prompts, trainer):
        self.calls += 1
        prompt_ids = [self.tokenizer.apply_chat_template(p, add_generation_prompt=True) for p in prompts]
        prompt_ids = [ids["input_ids"] if hasattr(ids, "keys") else ids for ids in prompt_ids]
        completion_ids = [self.ids[i % len(REPLIES)] for i in range(len(prompts))]
        return {"prompt_ids": prompt_ids, "completion_ids": completion_ids, "logprobs": None}


class CountingReward(VerifierReward):
    def __init__(self):
        super().__init__(fuzz_games=3, jobs=2)
        self.seen: list[float] = []

    def __call__(self, *args, **kwargs):
        rewards = super().__call__(*args, **kwargs)
        self.seen += rewards
        return rewards


def config() -> TrainConfig:
    return load_config(
        TrainConfig,
        "configs/tiny.yaml",
        ["grpo.max_steps=2", "grpo.num_generations=4", "grpo.batch_size=4", "grpo.learning_rate=1e-2",
         "grpo.max_completion_length=2048", "grpo.beta=0.1"],
    )  # fmt: skip


def test_grpo_rewards_vary_in_the_group_and_the_adapter_learns(tiny_model, tmp_path):
    from transformers import AutoTokenizer

    reward = CountingReward()
    rollout = Rollout(AutoTokenizer.from_pretrained(tiny_model))
    trainer = build_grpo_trainer(config(), str(tiny_model), ROWS, tmp_path / "grpo", reward, rollout_func=rollout)
    before = {n: p.detach().clone() for n, p in trainer.model.named_parameters()}
    trainer.train()
    assert rollout.calls >= 1 and reward.calls >= 1
    assert len(reward.seen) >= 4
    group = reward.seen[:4]
    assert group[0] == 1.0 and group[3] == 0.0 and 0.0 < group[1] < 1.0 and len(set(group)) >= 3, group
    logs = [row for row in trainer.state.log_history if "reward" in row]
    assert logs and logs[0]["reward_std"] > 0 and "verifier/dynamics" in logs[0] and "kl" in logs[0]
    changed = [n for n, p in trainer.model.named_parameters() if not torch.equal(before[n], p)]
    assert changed and all("lora_" in n for n in changed)


def test_prompts_longer_than_the_limit_are_left_out(tiny_model):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    long_row = {**ROWS[0], "prompt": [{"role": "user", "content": "word " * 400}], "game_id": "pig"}
    kept = fit_prompts([ROWS[0], long_row], tokenizer, max_length=100)
    assert kept == [ROWS[0]]


def test_run_grpo_writes_adapter_and_stage_metrics(tiny_model, tmp_path):
    from gamecwm.train.grpo import run_grpo

    rows = [{"prompt": [{"role": "user", "content": "Write pig."}], "game_id": "pig", "tier": 1}]
    cfg = load_config(TrainConfig, "configs/tiny.yaml", ["grpo.max_steps=1", "grpo.max_completion_length=8"])
    adapter = run_grpo(cfg, str(tiny_model), rows, tmp_path / "grpo" / "tier1", "grpo/tier1", tmp_path)
    assert (adapter / "adapter_config.json").is_file()
    rows = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert rows and {r["stage"] for r in rows} == {"grpo/tier1"}
    assert any("verifier/has_code" in r for r in rows)
