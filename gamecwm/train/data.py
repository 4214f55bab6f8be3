"""`gamecwm data`: the SFT and GRPO datasets, from the catalog's training games in curriculum order.

    gamecwm data --out data/ --valid-games 2 --phrasings 3 --function-rows 2 --repair-rows 1

Writes
    data/sft/train.jsonl, valid.jsonl        {"messages": [system, user, ..., assistant]}: read unchanged
                                             by TRL's SFTTrainer and by `mlx_lm lora --data data/sft`
    data/sft/prompt_completion/{train,valid}.jsonl
                                             the same rows as {"prompt": [...], "completion": [assistant]}:
                                             TRL computes the loss on the completion only
    data/grpo/train.jsonl                    {"prompt": [system, user], "game_id", "tier"}, all tiers
    data/grpo/tier{1..4}.jsonl               the same rows, one file per curriculum tier
    data/manifest.json                       which game went where, the settings and the rows per kind

SFT training rows, game by game in curriculum order:
- module rows: the game's rules as the prompt and its reference GameCWM, in a fenced block, as the
  answer; `phrasings` of them, each prompt worded differently (`prompts.build_prompt`; phrasing 0 is
  the one users see);
- function rows (`function_rows` per game, `functions.py`): the prompt asks for one contract function;
- repair rows (`repair_rows` per game, `repair.py`): a mutant of the reference, the verifier's failing
  checks, then the reference.
Every answer is the reference's own code. `valid_games` training games (drawn with the seed, spread
across tiers) give one module row each to valid.jsonl instead, so SFT validation loss measures games
the model has not seen; GRPO trains on every training game. Held-out (eval) games never appear in
any file.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gamecwm.games import GamePack, catalog
from gamecwm.prompts import PHRASINGS, build_messages
from gamecwm.train.functions import function_rows
from gamecwm.train.repair import answer, repair_rows

TIERS = (1, 2, 3, 4)
DATA_ROWS = ("phrasings", "function_rows", "repair_rows")  # DataConfig's settings of the SFT rows


@dataclass
class DataConfig:
    out: Path = field(default=Path("data"), metadata={"help": "dataset folder"})
    valid_games: int = field(default=2, metadata={"help": "training games kept for SFT validation"})
    seed: int = field(default=42, metadata={"help": "seed for picking the validation games and the mutants"})
    phrasings: int = field(
        default=1, metadata={"help": f"module rows per training game, each worded differently (1-{PHRASINGS})"}
    )
    function_rows: int = field(default=0, metadata={"help": "rows per training game asking for one contract function"})
    repair_rows: int = field(
        default=0, metadata={"help": "repair conversations per training game (each mutant verified in the sandbox)"}
    )


def training_packs() -> list[GamePack]:
    """The catalog's training games in curriculum order: tier by tier, then by id."""
    packs = [p for p in catalog() if p.split == "train" and p.has_reference]
    return sorted(packs, key=lambda p: (p.tier, p.id))


def module_row(pack: GamePack, phrasing: int = 0) -> dict[str, Any]:
    """The prompt asking for `pack`'s GameCWM and its reference as the answer (prompt/completion)."""
    *prompt, reply = build_messages(pack, completion=answer(pack), phrasing=phrasing)
    return {"prompt": prompt, "completion": [reply]}


def sft_rows(pack: GamePack, config: DataConfig) -> list[dict[str, Any]]:
    """Every SFT training row of `pack` (prompt/completion), module rows first."""
    rows = [module_row(pack, k) for k in range(config.phrasings)]
    rows += function_rows(pack, config.function_rows, config.seed)
    for row in repair_rows(pack, config.repair_rows, config.seed) if config.repair_rows else []:
        *prompt, reply = row["messages"]
        rows.append({"prompt": prompt, "completion": [reply]})
    return rows


def chat_row(row: dict[str, Any]) -> dict[str, Any]:
    return {"messages": row["prompt"] + row["completion"]}


def grpo_record(pack: GamePack) -> dict[str, Any]:
    return {"prompt": build_messages(pack), "game_id": pack.id, "tier": pack.tier}


def pick_valid(packs: list[GamePack], count: int, seed: int) -> list[GamePack]:
    """`count` games for validation, one per tier in turn (highest first) so no tier loses two before all lose one."""
    if not 0 <= count < len(packs):
        raise ValueError(f"valid_games must be between 0 and {len(packs) - 1}, got {count}")
    rng = random.Random(seed)
    by_tier = {tier: [p for p in packs if p.tier == tier] for tier in sorted({p.tier for p in packs}, reverse=True)}
    for games in by_tier.values():
        rng.shuffle(games)
    chosen: list[GamePack] = []
    while len(chosen) < count:
        before = len(chosen)
        for games in by_tier.values():
            if len(chosen) < count and len(games) > 1:  # every tier keeps at least one training game
                chosen.append(games.pop())
        if len(chosen) == before:
            raise ValueError(f"cannot hold back {count} games and keep one per tier for training")
    return chosen


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build_datasets(config: DataConfig) -> dict[str, Path]:
    """Write every file; return them by name ('sft/train', 'grpo/tier1', ...)."""
    packs = training_packs()
    valid = {p.id for p in pick_valid(packs, config.valid_games, config.seed)}
    if not 1 <= config.phrasings <= PHRASINGS:
        raise ValueError(f"phrasings must be between 1 and {PHRASINGS}, got {config.phrasings}")
    splits = {"train": [p for p in packs if p.id not in valid], "valid": [p for p in packs if p.id in valid]}
    sft = {
        "train": [row for p in splits["train"] for row in sft_rows(p, config)],
        "valid": [module_row(p) for p in splits["valid"]],
    }
    out = Path(config.out)
    files = {}
    for split, members in sft.items():
        files[f"sft/{split}"] = write_jsonl(out / "sft" / f"{split}.jsonl", [chat_row(r) for r in members])
        files[f"sft/prompt_completion/{split}"] = write_jsonl(
            out / "sft" / "prompt_completion" / f"{split}.jsonl", members
        )
    files["grpo/train"] = write_jsonl(out / "grpo" / "train.jsonl", [grpo_record(p) for p in packs])
    for tier in TIERS:
        rows = [grpo_record(p) for p in packs if p.tier == tier]
        files[f"grpo/tier{tier}"] = write_jsonl(out / "grpo" / f"tier{tier}.jsonl", rows)
    manifest = {
        "valid_games": config.valid_games,
        "seed": config.seed,
        "phrasings": config.phrasings,
        "function_rows": config.function_rows,
        "repair_rows": config.repair_rows,
        "sft_rows": {split: len(members) for split, members in sft.items()},
        "sft": {split: [p.id for p in members] for split, members in splits.items()},
        "grpo": {f"tier{t}": [p.id for p in packs if p.tier == t] for t in TIERS},
        "held_out": sorted(p.id for p in catalog() if p.split == "eval"),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    files["manifest"] = out / "manifest.json"
    return files
