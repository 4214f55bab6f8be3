import pytest
import yaml

from gamecwm.train.config import TrainConfig, load_config, save_config

CONFIGS = ("sft", "grpo", "sft_grpo", "tiny")


@pytest.mark.parametrize("name", CONFIGS)
def test_shipped_configs_load(name):
    config = load_config(TrainConfig, f"configs/{name}.yaml")
    assert isinstance(config, TrainConfig)
    assert config.sft.enabled or config.grpo.enabled


def test_full_recipe_matches_the_published_one():
    c = load_config(TrainConfig, "configs/sft_grpo.yaml")
    assert c.base_model == "Qwen/Qwen2.5-3B-Instruct" and c.require_cuda and c.curriculum and c.scenarios
    assert (c.sft.lora.r, c.sft.lora.alpha) == (16, 32)
    assert c.sft.lora.target_modules == ["q_proj", "k_proj", "v_proj", "o_proj"]
    assert (c.sft.learning_rate, c.sft.lr_scheduler_type, c.sft.warmup_ratio, c.sft.epochs) == (1e-5, "cosine", 0.03, 2)
    assert c.sft.batch_size * c.sft.gradient_accumulation_steps == 4
    assert (c.grpo.lora.r, c.grpo.lora.alpha, c.grpo.lora.target_modules) == (16, 64, ["all-linear"])
    assert (c.grpo.learning_rate, c.grpo.num_generations, c.grpo.beta, c.grpo.max_grad_norm) == (2e-5, 8, 0.1, 0.1)
    assert (c.grpo.temperature, c.grpo.max_prompt_length, c.grpo.max_completion_length) == (0.6, 4096, 4096)
    assert c.grpo.fuzz_games == 10


def test_overrides_win_over_the_file_and_keep_types():
    c = load_config(TrainConfig, "configs/sft_grpo.yaml", ["sft.learning_rate=2e-5", "grpo.beta=0", "curriculum=false",
                                                           "grpo.lora.target_modules=q_proj,v_proj"])  # fmt: skip
    assert c.sft.learning_rate == 2e-5 and isinstance(c.sft.learning_rate, float)
    assert c.grpo.beta == 0.0 and c.curriculum is False
    assert c.grpo.lora.target_modules == ["q_proj", "v_proj"]
    assert c.sft.lora.r == 16  # untouched keys keep the file's values


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("sft.learning_rat=1", "unknown config key sft.learning_rat"),
        ("grpo.num_generations=many", "grpo.num_generations: expected int"),
        ("curriculum", "not key=value"),
        ("sft.epochs=fast", "expected a number"),
    ],
)
def test_bad_overrides_name_the_key(override, message):
    with pytest.raises(ValueError, match=message):
        load_config(TrainConfig, None, [override])


def test_missing_file_says_where_configs_are(tmp_path):
    with pytest.raises(FileNotFoundError, match="configs/"):
        load_config(TrainConfig, tmp_path / "nope.yaml")


def test_saved_config_reloads_to_the_same_values(tmp_path):
    config = load_config(TrainConfig, "configs/tiny.yaml", ["seed=7"])
    path = save_config(config, tmp_path / "run" / "config.yaml")
    assert load_config(TrainConfig, path) == config
    assert yaml.safe_load(path.read_text())["grpo"]["beta"] == 0.1  # defaults are written out too


@pytest.mark.parametrize("name", ["ddp", "fsdp", "deepspeed_zero3"])
def test_accelerate_configs_parse(name):
    from accelerate.commands.config.config_args import load_config_from_file

    config = load_config_from_file(f"configs/accelerate/{name}.yaml")
    assert config.mixed_precision == "bf16" and config.num_processes > 1
