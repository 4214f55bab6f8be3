"""The report's PNG plots, drawn with matplotlib (Agg, no display needed; imported only here).

    >>> from gamecwm.eval.plots import plot_means, plot_tiers
    >>> plot_means(report, "results/x/means.png"); plot_tiers(report, "results/x/tiers.png")  # doctest: +SKIP

`means.png`: each model's mean overall and per-tier means, with 90% (thick) and 95% (thin) bootstrap
interval bars. `tiers.png`: for each model, a game x tier heatmap of mean scores (blank where a game has
no such tier).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from gamecwm.eval.config import TIERS


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError("the plots need matplotlib: install the `eval` extra (pip install 'gamecwm[eval]')") from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _bars(summary: dict[str, Any], level: str) -> tuple[float, float]:
    low, high = summary[level]
    return summary["mean"] - low, high - summary["mean"]


def plot_means(report: dict[str, Any], path: str | Path) -> Path:
    """Grouped bars: overall (strict), published, then each tier, one bar per model, with 90% and 95%
    interval bars."""
    plt = _pyplot()
    models = report["models"]
    metrics = ["overall"] + (["published"] if all("published" in m for m in models) else [])
    metrics += [t for t in TIERS if any(t in m["tiers"] for m in models)]
    width = 0.8 / len(models)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(metrics) + 0.4 * len(models)), 4.2))
    for index, model in enumerate(models):
        xs, means, thick, thin = [], [], [[], []], [[], []]
        for position, metric in enumerate(metrics):
            summary = model[metric] if metric in ("overall", "published") else model["tiers"].get(metric)
            if summary is None or summary["mean"] is None:
                continue
            xs.append(position - 0.4 + width * (index + 0.5))
            means.append(summary["mean"])
            for bars, level in ((thick, "ci90"), (thin, "ci95")):
                below, above = _bars(summary, level)
                bars[0].append(below)
                bars[1].append(above)
        ax.bar(xs, means, width * 0.9, label=model["model"])
        ax.errorbar(xs, means, yerr=thin, fmt="none", ecolor="black", elinewidth=0.8, capsize=3)
        ax.errorbar(xs, means, yerr=thick, fmt="none", ecolor="black", elinewidth=2.5)
    ax.set_xticks(range(len(metrics)), metrics, rotation=20)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("mean score")
    ax.set_title("mean scores with 90% (thick) and 95% (thin) bootstrap intervals")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return _save(fig, plt, path)


def plot_tiers(report: dict[str, Any], path: str | Path) -> Path:
    """One heatmap per model: games down, overall and tiers across, mean scores written in the cells."""
    plt = _pyplot()
    per_game = report["per_game"]
    tiers = [t for t in TIERS if any(t in m["tiers"] for m in report["models"])]
    columns = ["overall", *tiers]
    games = list(dict.fromkeys(g for blocks in per_game.values() for g in blocks))
    fig, axes = plt.subplots(
        1, len(per_game), squeeze=False, figsize=(1.0 + 0.95 * len(columns) * len(per_game), 1.2 + 0.45 * len(games))
    )
    image = None
    for ax, (model, blocks) in zip(axes[0], per_game.items(), strict=True):
        grid = [[_cell(blocks.get(game), column) for column in columns] for game in games]
        image = ax.imshow(grid, vmin=0, vmax=1, cmap="viridis", aspect="auto")
        for row, values in enumerate(grid):
            for col, value in enumerate(values):
                if not math.isnan(value):
                    ax.text(
                        col,
                        row,
                        f"{value:.2f}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="black" if value > 0.6 else "white",
                    )
        ax.set_xticks(range(len(columns)), columns, rotation=40, ha="right", fontsize=8)
        ax.set_yticks(range(len(games)), games, fontsize=8)
        ax.set_title(model, fontsize=9)
    fig.colorbar(image, ax=axes[0].tolist(), shrink=0.8, label="mean score")
    return _save(fig, plt, path)


def _cell(block: dict[str, Any] | None, column: str) -> float:
    if block is None:
        return math.nan
    summary = block["overall"] if column == "overall" else block["tiers"].get(column)
    return math.nan if summary is None or summary["mean"] is None else summary["mean"]


def _save(fig: Any, plt: Any, path: str | Path) -> Path:
    path = Path(path)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path
