"""The verifier's report as a rich table, for `gamecwm verify`, `generate --verify` and the demo.

Everything a candidate may have shaped (file names, check details) is shown as text, never as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from gamecwm.verifier.report import Report


def render_report(report: Report, published: bool = False) -> Table:
    """A rich table: one row per check, grouped by tier, with the scores and isolation in the title
    (`published=True`: the published evaluator's tiers and overall). Everything a candidate may have
    shaped (file names, details) is shown as text, never as markup."""
    from rich.markup import escape
    from rich.table import Table

    from gamecwm.verifier.report import clean_text

    scores = (
        f"published scoring: overall [bold]{report.published_overall:.3f}[/]"
        if published
        else f"overall [bold]{report.overall:.3f}[/]  reward [bold]{report.reward:.3f}[/]"
    )
    title = (
        f"{escape(clean_text(report.file))}  [bold]{escape(report.game)}[/] ({report.info})  {scores}  "
        f"{report.elapsed_s:.2f} s" + (f"\nisolation: {escape(report.isolation)}" if report.isolation else "")
    )
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("tier")
    table.add_column("check")
    table.add_column("", justify="center")
    table.add_column("detail", overflow="fold")
    tiers = report.published if published else report.tiers
    if tiers is None:
        raise ValueError(f"{report.file}: the report has no published scoring")
    for name, tier in tiers.items():
        details = {check.detail for check in tier.checks}
        if len(tier.checks) > 1 and len(details) == 1 and not tier.checks[0].passed:  # e.g. all "not run: ..."
            table.add_row(f"{name} {tier.score:.2f}", f"all {len(tier.checks)} checks", "[red]FAIL[/]",
                          escape(details.pop()))  # fmt: skip
            table.add_section()
            continue
        for index, check in enumerate(tier.checks):
            label = f"{name} {tier.score:.2f}" if index == 0 else ""
            mark = "[green]pass[/]" if check.passed else "[red]FAIL[/]"
            table.add_row(label, escape(check.name), mark, escape(check.detail))
        table.add_section()
    return table
