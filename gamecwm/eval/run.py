"""Held-out evaluation: sample every game, verify every sample in parallel, play the arena; resumable.

    >>> from gamecwm.eval.run import EvalConfig, run_eval
    >>> run = run_eval(EvalConfig(games="gen_tic_tac_toe", samples=2, max_tokens=256))  # embedded model
    >>> run.out, len(run.results)  # doctest: +SKIP
    (PosixPath('results/SmolLM2-135M-Instruct.Q4_1'), 2)

An output folder holds:

    run.json                 the resolved settings of the last run
    samples/<game>_<k>.txt   sample k's raw reply; `.py` its code, when it had any; `.json` its generation
                             settings (written last: a sample is complete once its `.json` exists)
    verdicts.jsonl           verifier reports, one per line, keyed by sha256 of code, pack, verifier settings
                             and the verifier's source
    arena.jsonl              arena matches, one per line, keyed by sha256 of code, pack and arena settings
    best/<game>_<i>.py|.txt  with --best-of K: the candidate kept as sample i (the best-rewarded of
                             candidates iK ... iK+K-1), for comparing it with other models by --samples-dir
    report.md  results.csv  results.json  means.png  tiers.png

Re-running skips every sample whose `.json` holds the same generation settings (model, adapter, backend,
temperature, top-p, token budget, seed, prompt) and every verdict and match already in the logs; both
logs are appended and flushed one line per result, so an interrupted run loses nothing it had written.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gamecwm.eval.backends import TOP_P, Backend, make_backend, model_name, resolve_backend
from gamecwm.eval.config import EvalConfig, Timings
from gamecwm.eval.report import SampleResult
from gamecwm.eval.samples import Sample, discover, game_pool, pack_fingerprint, sample_order, select_games
from gamecwm.eval.similarity import closest_reference
from gamecwm.games import GamePack
from gamecwm.prompts import build_messages
from gamecwm.runtime.extract import extract_code
from gamecwm.runtime.llama import is_embedded, shipped_lora_path
from gamecwm.verifier.pipeline import report_tiers
from gamecwm.verifier.report import PAPER_TIERS, REFERENCE_TIERS

Progress = Callable[[str, int, int], None]  # (phase, done, total)
NO_CODE = "the reply contained no Python code"


@dataclass
class EvalRun:
    config: EvalConfig
    out: Path
    games: list[GamePack]
    results: list[SampleResult]
    timings: Timings
    verify_config: Any
    unmatched: list[Path] = field(default_factory=list)  # files in --samples-dir that name no known game


def _sha(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@functools.cache
def verifier_digest() -> str:
    """sha256 of the verifier's own source: a changed verifier re-verifies instead of reusing old verdicts."""
    import gamecwm.verifier

    folder = Path(gamecwm.verifier.__file__).parent
    return _sha({p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py"))})


def _read_log(path: Path) -> dict[str, dict[str, Any]]:
    """key -> entry of a JSON-lines log; a line cut off by an interruption is ignored."""
    entries = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            entries[entry["key"]] = entry
    return entries


def _append(log: Any, entry: dict[str, Any]) -> None:
    log.write(json.dumps(entry) + "\n")
    log.flush()


# -- generation ------------------------------------------------------------------------------------------


@functools.cache
def _file_digest(path: Path) -> str:
    return f"{path.name}:{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}"


def generation_settings(config: EvalConfig, messages: list[dict[str, str]], k: int) -> dict[str, Any]:
    """What a sample was generated with; a stored sample is reused only when these are equal. The
    embedded model's shipped LoRA, when the default applies it, is named with its digest."""
    lora = (
        shipped_lora_path() if config.model is None and resolve_backend(None, config.backend) == "llama_cpp" else None
    )
    return {
        "model": "embedded" if is_embedded(config.model) else str(config.model),
        **({"lora": _file_digest(lora)} if lora else {}),
        "adapter": str(config.adapter) if config.adapter else None,
        "backend": resolve_backend(config.model, config.backend),
        "temperature": config.temperature,
        "top_p": TOP_P,
        "max_tokens": config.max_tokens,
        "seed": config.seed + k,
        "prompt_sha256": _sha(messages),
    }


def _sidecar(stem: Path) -> dict[str, Any] | None:
    try:
        return json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def _is_done(stem: Path, settings: dict[str, Any]) -> bool:
    meta = _sidecar(stem)
    return (
        meta is not None
        and meta.get("settings") == settings
        and stem.with_suffix(".txt").is_file()
        and stem.with_suffix(".py").is_file() == bool(meta.get("has_code"))
    )


def _write_sample(stem: Path, reply: str, settings: dict[str, Any], seconds: float) -> None:
    """The raw reply, its code (if any), then the sidecar that marks the sample complete."""
    stem.with_suffix(".txt").write_text(reply, encoding="utf-8")
    code = extract_code(reply)
    if code is not None:
        stem.with_suffix(".py").write_text(code, encoding="utf-8")
    else:
        stem.with_suffix(".py").unlink(missing_ok=True)
    meta = {"settings": settings, "has_code": code is not None, "seconds": round(seconds, 3), "chars": len(reply)}
    partial = stem.with_suffix(".json.partial")
    partial.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    os.replace(partial, stem.with_suffix(".json"))


def generate_samples(
    config: EvalConfig,
    name: str,
    packs: list[GamePack],
    out: Path,
    backend: Backend | None,
    progress: Progress,
    timings: Timings,
) -> list[Sample]:
    """Generate the samples that are not on disk yet (loading the model only then); return all of them
    (with --best-of K, every candidate: K per sample)."""
    folder = out / "samples"
    folder.mkdir(parents=True, exist_ok=True)
    count = config.samples * config.best_of
    pending = []
    for pack in packs:
        messages = build_messages(pack)
        for k in range(count):
            settings = generation_settings(config, messages, k)
            if not _is_done(folder / f"{pack.id}_{k}", settings):
                pending.append((folder / f"{pack.id}_{k}", messages, settings))
    if pending:
        start = time.perf_counter()
        if backend is None:
            backend = make_backend(config.model, config.backend, config.adapter, config.batch_size, config.threads)
        progress("generating", 0, len(pending))
        for first in range(0, len(pending), max(1, backend.batch_size)):
            chunk = pending[first : first + max(1, backend.batch_size)]
            began = time.perf_counter()
            replies = backend.generate(
                [m for _, m, _ in chunk], [s["seed"] for _, _, s in chunk], config.temperature, config.max_tokens
            )
            each = (time.perf_counter() - began) / len(chunk)
            for (stem, _, settings), reply in zip(chunk, replies, strict=True):
                _write_sample(stem, reply, settings, each)
            progress("generating", first + len(chunk), len(pending))
        timings.generation_s = time.perf_counter() - start
        timings.generated = len(pending)
    samples = []
    for pack in packs:
        for k in range(count):
            stem = folder / f"{pack.id}_{k}"
            code_path = stem.with_suffix(".py")
            code = code_path.read_text(encoding="utf-8") if code_path.is_file() else None
            file = code_path if code is not None else stem.with_suffix(".txt")
            samples.append(Sample(name, pack.id, str(k), pack, code, str(file)))
            timings.sample_generation_s += (_sidecar(stem) or {}).get("seconds", 0.0)
    return samples


# -- verification ----------------------------------------------------------------------------------------


def verify_samples(
    samples: list[Sample],
    verify_config: Any,
    out: Path,
    jobs: int,
    verify_fn: Callable,
    progress: Progress,
    timings: Timings,
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Each sample's verdict `{"report": ..., "reason": ...}`, verifying only what the log lacks."""
    path = out / "verdicts.jsonl"
    cache = _read_log(path)
    fingerprints = {s.game: pack_fingerprint(s.pack) for s in samples}
    settings = {**asdict(verify_config), "source": verifier_digest()}
    keys, todo = {}, {}
    for s in samples:
        if s.code is not None:
            keys[s.key] = _sha({"code": s.code, "game": s.game, "pack": fingerprints[s.game], "verifier": settings})
            if keys[s.key] not in cache:
                todo.setdefault(keys[s.key], s)
    if todo:
        start = time.perf_counter()
        progress("verifying", 0, len(todo))
        pool = ThreadPoolExecutor(max_workers=jobs)
        try:
            with path.open("a", encoding="utf-8") as log:
                futures = {
                    pool.submit(verify_fn, s.code, s.pack, verify_config, file=s.file): key for key, s in todo.items()
                }
                for done, future in enumerate(as_completed(futures), start=1):
                    report = future.result()
                    entry = {"key": futures[future], "report": report.to_json(), "reason": report.reason}
                    cache[entry["key"]] = entry
                    _append(log, entry)
                    progress("verifying", done, len(todo))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        timings.verification_s = time.perf_counter() - start
        timings.verified = len(todo)
    verdicts = {}
    no_code: dict[str, dict[str, Any]] = {}
    for s in samples:
        if s.code is None:
            tiers = {t: {"score": 0.0, "checks": []} for t in report_tiers(s.pack, verify_config)}
            verdicts[s.key] = {"report": {"tiers": tiers, "overall": 0.0, "reward": 0.0}, "reason": NO_CODE}
            if verify_config.scoring != "strict":  # the published pipeline scores its imports-only file
                if s.game not in no_code:
                    published = dataclasses.replace(verify_config, scoring="published")
                    no_code[s.game] = verify_fn("", s.pack, published, file=s.file).to_json()["published"]
                verdicts[s.key]["report"]["published"] = no_code[s.game]
        else:
            verdicts[s.key] = cache[keys[s.key]]
    return verdicts


def keep_best(
    samples: list[Sample], verdicts: dict[tuple[str, str, str], dict[str, Any]], best_of: int, out: Path
) -> list[Sample]:
    """Sample i of a game is the candidate among iK ... iK+K-1 with the highest reward (the first on a tie),
    relabelled i and keeping its candidate's file; `verdicts` gains the relabelled keys. The kept code
    (or reply, when it had none) is copied to best/<game>_<i>, a folder `--samples-dir` can read."""
    folder = out / "best"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    kept = []
    for game in dict.fromkeys(s.game for s in samples):
        candidates = sorted((s for s in samples if s.game == game), key=lambda s: int(s.sample))
        for i in range(len(candidates) // best_of):
            group = candidates[i * best_of : (i + 1) * best_of]
            best = max(group, key=lambda s: verdicts[s.key]["report"]["reward"])  # max keeps the first of ties
            chosen = dataclasses.replace(best, sample=str(i))
            verdicts[chosen.key] = verdicts[best.key]
            shutil.copyfile(best.file, folder / f"{game}_{i}{Path(best.file).suffix}")
            kept.append(chosen)
    return kept


# -- arena -----------------------------------------------------------------------------------------------


def arena_samples(
    samples: list[Sample], verdicts: dict, config: EvalConfig, out: Path, progress: Progress, timings: Timings
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Arena results of the samples whose dynamics tier passed (on games with a reference), played once."""
    from gamecwm.search.arena import play_arena
    from gamecwm.search.planners import default_planner

    eligible = [
        s
        for s in samples
        if s.code is not None
        and s.pack.has_reference
        and verdicts[s.key]["report"]["tiers"].get("dynamics", {}).get("score") == 1.0
    ]
    path = out / "arena.jsonl"
    cache = _read_log(path)
    keys, todo = {}, {}
    for s in eligible:
        planner = default_planner(s.pack, simulations=config.arena_sims)
        settings = {
            "planner": planner.to_json(),
            "games": config.arena_games,
            "seed": config.seed,
            "move_seconds": config.arena_move_seconds,
        }
        keys[s.key] = _sha({"code": s.code, "game": s.game, "pack": pack_fingerprint(s.pack), "arena": settings})
        if keys[s.key] not in cache:
            todo.setdefault(keys[s.key], (s, planner))
    if todo:
        # One match at a time: the reference's searches run in this process and reseed the global `random`.
        start = time.perf_counter()
        progress("arena", 0, len(todo))
        with path.open("a", encoding="utf-8") as log:
            for done, (key, (s, planner)) in enumerate(todo.items(), start=1):
                result = play_arena(
                    s.code,
                    s.pack,
                    planner,
                    config.arena_games,
                    config.seed,
                    config.arena_move_seconds,
                    name=Path(s.file).name,
                )
                cache[key] = {"key": key, "result": result.to_json()}
                _append(log, cache[key])
                progress("arena", done, len(todo))
        timings.arena_s = time.perf_counter() - start
        timings.arena_matches = len(todo)
    return {sample_key: cache[key]["result"] for sample_key, key in keys.items()}


# -- the whole run ---------------------------------------------------------------------------------------


def default_out(config: EvalConfig, name: str) -> Path:
    """--out, else results/<name>; a backend other than the model's usual one gets its own folder."""
    if config.out:
        return config.out
    if config.samples_dir is None and config.backend not in ("auto", resolve_backend(config.model)):
        return Path("results") / f"{name}-{config.backend}"
    return Path("results") / name


def run_eval(
    config: EvalConfig,
    backend: Backend | None = None,
    verify_fn: Callable | None = None,
    verify_config: Any = None,
    progress: Progress | None = None,
) -> EvalRun:
    """Generate (or find) the samples, verify them, play the arena if asked; nothing is written twice.

    `backend` replaces the one `config` names (tests pass fakes); `verify_fn` replaces the verifier's
    `verify` and `verify_config` the evaluation setting.
    """
    from gamecwm.verifier import verify

    verify_fn = verify_fn or verify
    verify_config = verify_config or config.verify_config()
    progress = progress or (lambda phase, done, total: None)
    pool = game_pool(config.packs)
    timings, unmatched = Timings(), []
    if config.samples_dir is not None:
        wanted = [p.id for p in select_games(config.games, pool)] if config.games else None
        samples, unmatched = discover(config.samples_dir, pool, wanted)
        out = default_out(config, config.samples_dir.resolve().name)
        _write_run_json(out, config, verify_config)
    else:
        name = config.name or model_name(config.model, config.adapter)
        packs = select_games(config.games or "eval", pool)
        out = default_out(config, name)
        _write_run_json(out, config, verify_config)
        samples = generate_samples(config, name, packs, out, backend, progress, timings)
    verdicts = verify_samples(samples, verify_config, out, config.jobs, verify_fn, progress, timings)
    if config.best_of > 1:
        samples = keep_best(samples, verdicts, config.best_of, out)
    arena = arena_samples(samples, verdicts, config, out, progress, timings) if config.arena else {}
    models = list(dict.fromkeys(s.model for s in samples))
    order = {game: index for index, game in enumerate(pool)}
    samples.sort(key=lambda s: (models.index(s.model), order[s.game], sample_order(s.sample)))
    results = [_result(s, verdicts[s.key], arena.get(s.key)) for s in samples]
    games = [pack for game, pack in pool.items() if any(s.game == game for s in samples)]
    return EvalRun(config, out, games, results, timings, verify_config, unmatched)


def _result(sample: Sample, verdict: dict[str, Any], arena: dict[str, Any] | None) -> SampleResult:
    report = verdict["report"]
    own = sample.pack.reference_source if sample.pack.has_reference else None
    closest = closest_reference(sample.code, own) if sample.code else None
    return SampleResult(
        model=sample.model,
        game=sample.game,
        sample=sample.sample,
        file=sample.file,
        has_code=sample.code is not None,
        overall=report["overall"],
        reward=report["reward"],
        tiers={name: tier["score"] for name, tier in report["tiers"].items() if name in PAPER_TIERS + REFERENCE_TIERS},
        published=report["published"]["overall"] if "published" in report else None,
        published_tiers={name: tier["score"] for name, tier in report.get("published", {}).get("tiers", {}).items()},
        reason=verdict.get("reason"),
        arena=arena,
        closest=closest.game if closest else None,
        similarity=closest.similarity if closest else None,
        own_similarity=closest.own if closest else None,
        copies_another_game=closest.copies_another_game(sample.game) if closest else False,
    )


def _write_run_json(out: Path, config: EvalConfig, verify_config: Any) -> None:
    out.mkdir(parents=True, exist_ok=True)
    payload = {"config": config.to_json(), "verifier": asdict(verify_config)}
    (out / "run.json").write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
