"""Aggregate per-sample verdicts into the evaluation report: means with bootstrap intervals, tables, files.

    >>> from gamecwm.eval.report import SampleResult, build_report
    >>> rows = [SampleResult("m", "y", str(k), f"y_{k}.py", True, s, s, {"static": s}) for k, s in enumerate([1, 0])]
    >>> build_report(rows)["models"][0]["overall"]["mean"]
    0.5

Per model: the mean `overall` (and `reward`) over all samples with 90% and 95% bootstrap intervals and
N; per-tier means, where a tier a game does not have (scenarios for a bare rules pack, information for
a perfect-information game, the reference tiers without a reference) is left out of that tier's mean
rather than counted as 0; a per-game table; paired differences between models over the (game, sample)
pairs both have; arena win/draw/loss. Written as `report.md`, `results.csv` and `results.json`.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from gamecwm.eval.backends import resolve_backend
from gamecwm.eval.config import TIERS
from gamecwm.eval.similarity import COPY_SIMILARITY
from gamecwm.eval.stats import RESAMPLES, paired_summary, summarize
from gamecwm.verifier.report import PAPER_TIERS

BOOTSTRAP_SEED = 0  # fixed, so that a report reproduces from the same verdicts


@dataclass
class SampleResult:
    model: str
    game: str
    sample: str
    file: str
    has_code: bool
    overall: float
    reward: float
    tiers: dict[str, float]  # the scores of the tiers the verifier reported for this game
    reason: str | None = None  # why checks could not run (no code, timed out, refused), if they could not
    arena: dict[str, Any] | None = None  # the arena match (MatchResult.to_json()), when one was played
    published: float | None = None  # the published evaluator's overall (`--scoring published|both`)
    published_tiers: dict[str, float] = field(default_factory=dict)
    closest: str | None = None  # the training reference most like the sample (`similarity.py`)
    similarity: float | None = None  # how alike they are, 0-1
    own_similarity: float | None = None  # how like its own game's reference the sample is
    copies_another_game: bool = False  # nearer another game's reference than its own, and a copy

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _block(rows: list[SampleResult], resamples: int) -> dict[str, Any]:
    """Scores of a group of samples: overall and reward with intervals, per-tier means with their N, and
    the published scoring's overall and tiers when every sample has them."""
    block = {
        "n": len(rows),
        "no_code": sum(not r.has_code for r in rows),
        "overall": summarize([r.overall for r in rows], resamples, BOOTSTRAP_SEED).to_json(),
        "reward": summarize([r.reward for r in rows], resamples, BOOTSTRAP_SEED).to_json(),
        "tiers": _tier_means([r.tiers for r in rows], resamples),
    }
    if rows and all(r.published is not None for r in rows):
        block["published"] = summarize([r.published for r in rows], resamples, BOOTSTRAP_SEED).to_json()
        block["published_tiers"] = _tier_means([r.published_tiers for r in rows], resamples)
    return block


def _tier_means(tiers: list[dict[str, float]], resamples: int) -> dict[str, Any]:
    return {
        t: summarize(s, resamples, BOOTSTRAP_SEED).to_json() for t in TIERS if (s := [r[t] for r in tiers if t in r])
    }


def _arena(rows: list[SampleResult]) -> dict[str, Any]:
    played = [r.arena for r in rows if r.arena is not None]
    totals = {key: sum(a[key] for a in played) for key in ("games", "wins", "draws", "losses", "forfeits")}
    score = (totals["wins"] + 0.5 * totals["draws"]) / totals["games"] if totals["games"] else None
    return {"samples": len(rows), "played": len(played), **totals, "score": score}


def _closest(rows: list[SampleResult]) -> dict[str, Any]:
    """How often a model's samples are near-copies of a training reference, of another game's, and how
    many of those another-game copies still pass static and dynamics (a wrong game the verifier's
    first tiers cannot tell from a right one)."""
    scored = [r for r in rows if r.similarity is not None]
    copies = [r for r in scored if r.similarity >= COPY_SIMILARITY]
    wrong = [r for r in scored if r.copies_another_game]
    passing = [r for r in wrong if r.tiers.get("static") == 1.0 and r.tiers.get("dynamics") == 1.0]
    values = sorted(r.similarity for r in scored)
    return {
        "with_code": len(scored),
        "median_similarity": values[len(values) // 2] if values else None,
        "copies": len(copies),
        "copies_of_another_game": len(wrong),
        "another_game_passing_static_and_dynamics": len(passing),
        "closest_games": dict(Counter(r.closest for r in scored).most_common()),
    }


def build_report(results: list[SampleResult], resamples: int = RESAMPLES) -> dict[str, Any]:
    """Everything the report shows, as plain data (what results.json holds, less the samples)."""
    models = list(dict.fromkeys(r.model for r in results))
    games = list(dict.fromkeys(r.game for r in results))
    by_model = {m: [r for r in results if r.model == m] for m in models}
    report: dict[str, Any] = {"models": [], "per_game": {}, "paired": [], "arena": {}, "closest": {}}
    for model, rows in by_model.items():
        report["models"].append({"model": model, **_block(rows, resamples)})
        report["closest"][model] = _closest(rows)
        report["per_game"][model] = {
            g: _block(sub, resamples) for g in games if (sub := [r for r in rows if r.game == g])
        }
        if any(r.arena is not None for r in rows):
            report["arena"][model] = {g: _arena([r for r in rows if r.game == g]) for g in report["per_game"][model]}
    for a, b in combinations(models, 2):
        entry: dict[str, Any] = {"a": a, "b": b}
        for metric in ("overall", "reward", "published"):
            scores = [{(r.game, r.sample): getattr(r, metric) for r in by_model[m]} for m in (a, b)]
            if metric == "published" and any(v is None for score in scores for v in score.values()):
                continue
            entry[metric] = paired_summary(*scores, resamples, BOOTSTRAP_SEED).to_json()
        report["paired"].append(entry)
    return report


# -- writers ---------------------------------------------------------------------------------------------


def _f(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _ci(summary: dict[str, Any], level: str = "ci95") -> str:
    low, high = summary[level]
    return "-" if low is None else f"[{low:.3f}, {high:.3f}]"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _tier_cells(block: dict[str, Any], tiers: list[str], with_n: bool) -> list[str]:
    cells = []
    for t in tiers:
        s = block["tiers"].get(t)
        cells.append("-" if s is None else _f(s["mean"]) + (f" ({s['n']})" if with_n else ""))
    return cells


def _interval(summary: dict[str, Any]) -> list[str]:
    """Mean, 90% and 95% interval cells."""
    return [_f(summary["mean"]), _ci(summary, "ci90"), _ci(summary)]


def _mean95(summary: dict[str, Any]) -> list[str]:
    return [_f(summary["mean"]), _ci(summary)]


def _sections(report: dict[str, Any], tiers: list[str]) -> list[tuple[str, str, list[str], list[list[str]]]]:
    """(heading, note, header, rows) of each table in report.md."""
    published = all("published" in m for m in report["models"])
    models = [[m["model"], str(m["n"]), str(m["no_code"]), *_interval(m["overall"]), *_mean95(m["reward"]),
               *(_mean95(m["published"]) if published else [])] for m in report["models"]]  # fmt: skip
    header = ["model", "N", "no code", "overall", "90% CI", "95% CI", "reward", "reward 95% CI"]
    sections = [
        ("Models", "strict scoring (ours)" + ("; `published`: the paper's evaluator (docs/scoring.md)" if published
                                             else ""),
         header + (["published", "published 95% CI"] if published else []), models),
        ("Tiers", "Mean tier score (N samples that have the tier).", ["model", *tiers],
         [[m["model"], *_tier_cells(m, tiers, True)] for m in report["models"]]),
    ]  # fmt: skip
    if published:
        names = [t for t in PAPER_TIERS if any(t in m["published_tiers"] for m in report["models"])]
        rows = [[m["model"], *_tier_cells({"tiers": m["published_tiers"]}, names, True)] for m in report["models"]]
        sections.append(
            ("Published tiers", "Mean tier score under the published scoring (N).", ["model", *names], rows)
        )
    for model, games in report["per_game"].items():
        rows = [[g, str(b["n"]), *_mean95(b["overall"]), _f(b["reward"]["mean"]), *_tier_cells(b, tiers, False)]
                for g, b in games.items()]  # fmt: skip
        sections.append((f"Per game: {model}", "", ["game", "N", "overall", "95% CI", "reward", *tiers], rows))
    if report["paired"]:
        paired_published = all("published" in p for p in report["paired"])
        rows = [[f"{p['a']} - {p['b']}", str(p["overall"]["n"]), *_interval(p["overall"]), *_mean95(p["reward"]),
                 *(_mean95(p["published"]) if paired_published else [])] for p in report["paired"]]  # fmt: skip
        header = ["A - B", "pairs", "overall", "90% CI", "95% CI", "reward", "reward 95% CI"]
        header += ["published", "published 95% CI"] if paired_published else []
        sections.append(("Paired differences", "A - B over the (game, sample) pairs both models have.", header, rows))
    if report.get("closest"):
        counts = ("with_code", "copies", "copies_of_another_game", "another_game_passing_static_and_dynamics")
        rows = [[model, _f(c["median_similarity"]), *(str(c[key]) for key in counts),
                 ", ".join(f"{g} {n}" for g, n in list(c["closest_games"].items())[:4])]
                for model, c in report["closest"].items()]  # fmt: skip
        note = (f"Each sample with code against every training reference (token similarity, 0-1); a copy is "
                f"{COPY_SIMILARITY} or more alike. A copy of another game is nearer that game's reference than its "
                "own game's; when it passes static and dynamics, those tiers cannot tell the wrong game from the "
                "right one.")  # fmt: skip
        header = ["model", "median similarity", "with code", "copies", "of another game",
                  "those passing static+dynamics", "closest references (samples)"]  # fmt: skip
        sections.append(("Closest training reference", note, header, rows))
    if report["arena"]:
        rows = [[model, g, f"{a['played']}/{a['samples']}", *(str(a[k]) for k in ("games", "wins", "draws", "losses")),
                 _f(a["score"])] for model, games in report["arena"].items() for g, a in games.items()]  # fmt: skip
        sections.append(("Arena", "", ["model", "game", "played", "games", "W", "D", "L", "score"], rows))
    return sections


def markdown(report: dict[str, Any], meta: dict[str, Any]) -> str:
    """report.md: settings, the model, tier, per-game, paired-difference and arena tables, and the method."""
    tiers = [t for t in TIERS if any(t in m["tiers"] for m in report["models"])]
    lines = [f"# Evaluation: {meta['title']}", "", meta["settings"]]
    for heading, note, header, rows in _sections(report, tiers):
        note = meta.get("arena", "") if heading == "Arena" else note
        lines += ["", f"## {heading}", ""] + ([note, ""] if note else []) + _table(header, rows)
    lines += ["", "## Timing", "", meta["timing"], "", "## Plots", "", "![model means](means.png)", "",
              "![per-game tier means](tiers.png)", "", "## Method", "", METHOD]  # fmt: skip
    return "\n".join(lines) + "\n"


METHOD = """\
- `overall` is the verifier's strict score: each tier scores the fraction of its checks that pass, and
  `overall` is the unweighted mean of the applicable tiers among static, dynamics, scenarios and information.
  It is stricter than the evaluator published with the GameCWM paper, so it is not comparable with that
  paper's tables; `published` is: it reproduces that evaluator's checks and quirks (docs/scoring.md).
  `reward` is the graded, gated GRPO reward.
- A reply without Python code counts: its overall, reward and every tier of its game score 0.
- A tier a game does not have (information in a perfect-information game, scenarios in a bare rules pack,
  trajectory and information_sets without a reference) is left out of that tier's mean, not counted as 0;
  trajectory and information_sets are reported beside the four published tiers and are not part of overall.
- Intervals: percentile bootstrap over samples (resampled with replacement, seeded, so the report
  reproduces); paired differences resample the (game, sample) pairs."""


def csv_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """results.csv: one row per model (game `all`) followed by one row per game of that model."""
    rows = []
    for entry in report["models"]:
        model = entry["model"]
        blocks = [("all", entry)] + list(report["per_game"][model].items())
        for game, block in blocks:
            row: dict[str, Any] = {"model": model, "game": game, "n": block["n"], "no_code": block["no_code"]}
            for metric in ("overall", "reward", "published"):
                summary = block.get(metric)
                row[metric] = summary["mean"] if summary else None
                for level in ("ci90", "ci95"):
                    row[f"{metric}_{level}_low"], row[f"{metric}_{level}_high"] = (
                        summary[level] if summary else (None,) * 2
                    )
            row.update({t: block["tiers"][t]["mean"] if t in block["tiers"] else None for t in TIERS})
            published = block.get("published_tiers", {})
            row.update({f"published_{t}": published[t]["mean"] if t in published else None for t in PAPER_TIERS})
            arena = report["arena"].get(model, {}).get(game) if game != "all" else None
            for key in ("games", "wins", "draws", "losses"):
                row[f"arena_{key}"] = arena[key] if arena else None
            rows.append(row)
    return rows


def write_files(out: Path, report: dict[str, Any], meta: dict[str, Any], extra: dict[str, Any]) -> list[Path]:
    """Write report.md, results.csv and results.json (the report plus `extra`: settings, timings, samples)."""
    paths = [out / "report.md", out / "results.csv", out / "results.json"]
    paths[0].write_text(markdown(report, meta), encoding="utf-8")
    rows = csv_rows(report)
    with paths[1].open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    paths[2].write_text(json.dumps({**extra, **report}, indent=1) + "\n", encoding="utf-8")
    return paths


def rich_tables(report: dict[str, Any]) -> list[Any]:
    """The model table and a tier table (a row per tier, a column per model), for the terminal."""
    from rich.markup import escape
    from rich.table import Table

    models = Table(title="models: mean overall with bootstrap intervals", title_justify="left")
    models.add_column("model", overflow="fold")
    published = all("published" in m for m in report["models"])
    for column in ("N", "no code", "overall", "90% CI", "95% CI", "reward") + (("published", "95% CI") * published):
        models.add_column(column, justify="right", no_wrap=True)
    for m in report["models"]:
        overall = f"[bold]{_f(m['overall']['mean'])}[/]"
        models.add_row(escape(m["model"]), str(m["n"]), str(m["no_code"]), overall, *_interval(m["overall"])[1:],
                       _f(m["reward"]["mean"]), *(_mean95(m["published"]) if published else []))  # fmt: skip
    per_tier = Table(title="tiers: mean score (N)", title_justify="left")
    per_tier.add_column("tier", no_wrap=True)
    for m in report["models"]:
        per_tier.add_column(escape(m["model"]), justify="right", overflow="fold")
    for tier in [t for t in TIERS if any(t in m["tiers"] for m in report["models"])]:
        per_tier.add_row(tier, *(_tier_cells(m, [tier], True)[0] for m in report["models"]))
    return [models, per_tier]


def _meta(run: Any) -> dict[str, Any]:
    config, timings = run.config, run.timings
    models = list(dict.fromkeys(r.model for r in run.results))
    if config.samples_dir is not None:
        source = f"Samples: the files in `{config.samples_dir}`."
    else:
        backend = resolve_backend(config.model, config.backend)
        drawn = (
            f"Samples: {config.samples} per game, temperature {config.temperature}, max tokens "
            f"{config.max_tokens}, seed {config.seed} (sample k: seed + k), backend {backend}."
        )
        best = (
            f" Best of {config.best_of} by reward: {config.samples * config.best_of} candidates per game "
            f"(candidate k: seed + k); sample i is the one of candidates {config.best_of}i to "
            f"{config.best_of}i+{config.best_of - 1} the verifier rewarded most (an oracle reranking with "
            "the game's own checks), and its file is that candidate's."
        )
        source = drawn + (best if config.best_of > 1 else "")
    settings = (
        f"Models: {', '.join(models)}. Games ({len(run.games)}): {', '.join(g.id for g in run.games)}. "
        f"{source} Verifier: {run.verify_config.fuzz_games} fuzz games, sandbox isolation "
        f"{_isolation(run.verify_config)}. "
        f"Bootstrap: {config.bootstrap} resamples."
    )
    timing = (
        f"This run: generation {timings.generation_s:.1f} s ({timings.generated} samples generated), "
        f"verification {timings.verification_s:.1f} s ({timings.verified} modules verified, "
        f"{config.jobs} at once), arena {timings.arena_s:.1f} s ({timings.arena_matches} matches). "
        f"Generation time recorded with the samples: {timings.sample_generation_s:.1f} s."
    )
    arena = (
        f"Each sample that passed the dynamics tier played {config.arena_games} games against the "
        f"reference (MCTS, or ISMCTS with hidden information, {config.arena_sims} simulations per move, "
        "seats alternating, the reference referees); W/D/L are the sample's, summed over its game."
    )
    return {"title": run.out.name, "settings": settings, "timing": timing, "arena": arena}


def _isolation(verify_config: Any) -> str:
    from gamecwm.sandbox import resolve

    try:
        return resolve(verify_config.isolation).describe()
    except Exception as exc:  # noqa: BLE001 - `required` on a machine without isolation: say so
        return str(exc)


def write_report(run: Any, plots: bool = True) -> tuple[dict[str, Any], list[Path]]:
    """Build the report of an `EvalRun` and write its files (and plots) into its output folder."""
    report = build_report(run.results, run.config.bootstrap)
    extra = {
        "config": run.config.to_json(),
        "verifier": asdict(run.verify_config),
        "timings": run.timings.to_json(),
        "games": [g.id for g in run.games],
        "samples": [r.to_json() for r in run.results],
    }
    paths = write_files(run.out, report, _meta(run), extra)
    if plots:
        from gamecwm.eval.plots import plot_means, plot_tiers

        paths += [plot_means(report, run.out / "means.png"), plot_tiers(report, run.out / "tiers.png")]
    return report, paths
