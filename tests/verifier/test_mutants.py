"""Mutation tests for the verifier: every reference scores perfectly, every seeded rule bug loses a check.

Each mutant is the reference source of a catalog game with a few exact text edits (a removed win
check, a turn that is not passed, a state mutated in place, a leaked hidden card, a stubbed
`resample_history`, ...). An edit that no longer matches the reference fails loudly, so a mutant can
never silently test the reference itself. A mutant is *killed* when some check that passes on the
reference fails on it; every mutant here is a genuine rule or contract bug, so the verifier must kill
all of them. `pytest -s -k kill_rate` prints the kill-rate table.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache

import pytest

from gamecwm.games import GamePack, get_pack
from gamecwm.verifier import Report, VerifyConfig, verify, verify_many

GAMES = ("tic_tac_toe", "connect4", "gen_tic_tac_toe", "kuhn_poker", "leduc_poker", "quadranto")
# Fewer fuzz and reference games than the evaluation setting (100, 20), enough for every mutant here;
# as many resample games, since a sampler that rarely allows an early catch fails in ~7% of trials.
CONFIG = VerifyConfig(fuzz_games=30, reference_games=10, information_games=100)
JOBS = 2


@dataclass(frozen=True)
class Mutant:
    """A named bug: exact (old, new) text edits, each of which must match the reference exactly once,
    and optionally a function-level rewrite `(function name, new body)`."""

    name: str
    edits: tuple[tuple[str, str], ...] = ()
    rewrite: tuple[str, str] | None = None

    def apply(self, source: str) -> str:
        mutated = source
        for old, new in self.edits:
            count = mutated.count(old)
            assert count == 1, f"mutant {self.name!r}: {old!r} occurs {count} times in the reference (want 1)"
            mutated = mutated.replace(old, new)
        if self.rewrite:
            mutated = _rewrite_function(mutated, *self.rewrite, mutant=self.name)
        assert mutated != source, f"mutant {self.name!r} does not change the reference"
        return mutated


def _rewrite_function(source: str, name: str, body: str, mutant: str) -> str:
    """Replace the body of the module-level function `name` (docstring included) with `body`."""
    tree = ast.parse(source)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name]
    assert len(functions) == 1, f"mutant {mutant!r}: the reference defines no single function {name!r}"
    node = functions[0]
    lines = source.splitlines(keepends=True)
    first, last = node.body[0].lineno - 1, node.end_lineno
    indented = "".join(f"    {line}\n" for line in body.splitlines())
    return "".join(lines[:first]) + indented + "".join(lines[last:])


def M(name: str, *edits: tuple[str, str]) -> Mutant:  # noqa: N802 - a table entry
    return Mutant(name, edits)


TTT_OVER = 'return state["winner"] is not None or not any(EMPTY in row for row in state["board"])'
TTT_LEGAL = "return [name for name, (r, c) in CELLS.items() if board[r][c] == EMPTY]"
# The games whose reward code reads "[1.0, -1.0] if winner == 0 else [-1.0, 1.0]".
WINNER_INVERTED = M("winner_inverted", ("[1.0, -1.0] if winner == 0 else [-1.0, 1.0]",
                                        "[-1.0, 1.0] if winner == 0 else [1.0, -1.0]"))  # fmt: skip
POKER_INVERTED = M("winner_inverted", ("[-amount, amount] if loser == 0 else [amount, -amount]",
                                       "[amount, -amount] if loser == 0 else [-amount, amount]"))  # fmt: skip
LINE_FOUND = "winner = player if _makes_line(board, row, col) else None"
OVER_EMPTY = ("    if _is_over(state):\n        return []\n", "")
TERMINAL_EMPTY = "    if player == TERMINAL:\n        return []"
SWAP_RESAMPLED_CARDS = ("cards = [own, other] if player_id == 0 else [other, own]",
                        "cards = [other, own] if player_id == 0 else [own, other]")  # fmt: skip
RESAMPLE_STUB_EMPTY = Mutant("resample_stub_returns_empty", rewrite=("resample_history", "return []"))
RESAMPLE_STUB_RAISES = Mutant(
    "resample_stub_raises", rewrite=("resample_history", "raise NotImplementedError('resample_history')")
)

# fmt: off
MUTANTS: dict[str, list[Mutant]] = {
    "tic_tac_toe": [
        M("win_check_removed", ("winner = player if _completes_line(board, row, col) else None", "winner = None")),
        WINNER_INVERTED,
        M("turn_not_passed", ('"player": 1 - player,', '"player": player,')),
        M("state_mutated_in_place", ("board = [cells[:] for cells in state[\"board\"]]", 'board = state["board"]')),
        M("legal_actions_when_over", OVER_EMPTY),
        M("last_column_never_legal", ("if board[r][c] == EMPTY]", "if board[r][c] == EMPTY and c < SIZE - 1]")),
        M("anti_diagonal_missing", (", [(i, SIZE - 1 - i) for i in range(SIZE)]", "")),
        M("full_board_not_terminal", (TTT_OVER, 'return state["winner"] is not None')),
        M("legal_actions_nondeterministic", ('"""\n\nSIZE = 3', '"""\n\nimport random\n\nSIZE = 3'),
          (TTT_LEGAL, f"legal = {TTT_LEGAL.removeprefix('return ')}\n"
                      "    random.shuffle(legal)\n    return legal")),
        M("observation_hides_board", ('[{"board": [row[:] for row in state["board"]], ', "[{")),
    ],
    "connect4": [
        M("win_check_removed", (LINE_FOUND, "winner = None")),
        WINNER_INVERTED,
        M("turn_not_passed", ('"player": 1 - player,', '"player": player,')),
        M("state_mutated_in_place", ('board = [row[:] for row in state["board"]]', 'board = state["board"]')),
        M("legal_actions_when_over", OVER_EMPTY),
        M("disc_sticks_at_the_top", ("for r in range(ROWS - 1, -1, -1) if", "for r in range(ROWS) if")),
        M("last_column_ignored_by_lines", ("0 <= c < COLS and", "0 <= c < COLS - 1 and")),
        M("five_needed_to_win", (">= CONNECT", "> CONNECT")),
        M("top_row_ignored_by_lines", ("while 0 <= r < ROWS", "while 1 <= r < ROWS")),
    ],
    "gen_tic_tac_toe": [
        M("win_check_removed", (LINE_FOUND, "winner = None")),
        WINNER_INVERTED,
        M("turn_not_passed", ('"player": 1 - player,', '"player": player,')),
        M("state_mutated_in_place",
          ('board = [cells[:] for cells in state["board"]]', 'board = state["board"]')),
        M("legal_actions_when_over", OVER_EMPTY),
        M("three_in_a_row_wins", ("CONNECT = 4", "CONNECT = 3")),
        M("anti_diagonal_missing", ("((0, 1), (1, 0), (1, 1), (1, -1))", "((0, 1), (1, 0), (1, 1))")),
        M("right_edge_overrun", ("0 <= c < SIZE and", "0 <= c <= SIZE and")),
        M("bottom_row_ignored_by_lines", ("0 <= r < SIZE and", "0 <= r < SIZE - 1 and")),
    ],
    "kuhn_poker": [
        POKER_INVERTED,
        M("folder_wins", ("return (len(betting) - 1) % 2", "return len(betting) % 2")),
        M("turn_not_passed", ('return len(state["betting"]) % 2', "return 0")),
        M("state_mutated_in_place", ('new_state = {"cards": list(state["cards"]), "betting": list(state["betting"])}',
                                     'new_state = state')),
        M("legal_actions_when_over", (TERMINAL_EMPTY, TERMINAL_EMPTY.replace("[]", "list(ACTIONS)"))),
        M("bet_of_two", ("ANTE, BET = 1, 1", "ANTE, BET = 1, 2")),
        M("card_dealt_twice", ('for card in CARDS if card not in state["cards"]]', "for card in CARDS]")),
        M("resample_replaces_own_card", SWAP_RESAMPLED_CARDS),
        M("resample_drops_last_action", ("in cards] + betting", "in cards] + betting[:-1]")),
        M("observation_leaks_opponent_card",
          ('{"card": state["cards"][player], ',
           '{"card": state["cards"][player], "other": state["cards"][1 - player], ')),
        M("resample_not_stochastic", ("other = random.choice([", "other = min([")),
        RESAMPLE_STUB_EMPTY,
        RESAMPLE_STUB_RAISES,
    ],
    "leduc_poker": [
        POKER_INVERTED,
        M("turn_not_passed", ('return len(state["betting"][_betting_round(state)]) % 2', "return 0")),
        M("state_mutated_in_place", ('"betting": [list(round_actions) for round_actions in state["betting"]],\n    }',
                                     '"betting": state["betting"],\n    }')),
        M("legal_actions_when_over", (TERMINAL_EMPTY, TERMINAL_EMPTY.replace("[]", '["call"]'))),
        M("three_raises_per_round", ("MAX_RAISES = 2", "MAX_RAISES = 3")),
        M("round_two_raise_of_two", ("RAISE_SIZES = (2, 4)", "RAISE_SIZES = (2, 2)")),
        M("pair_ignored", ("return (card[0] == public[0], ", "return (False, ")),
        M("fold_without_a_raise",
          ('actions = ["fold"] if chips[player] < max(chips) else []', 'actions = ["fold"]')),
        M("resample_replaces_own_card", SWAP_RESAMPLED_CARDS),
        M("resample_ignores_public_card", ("if card not in (own, public)", "if card != own")),
        M("resample_drops_last_action", ("return actions + ([] if action is None else [action])",
                                         "return (actions + ([] if action is None else [action]))[:-1]")),
        M("observation_leaks_opponent_card",
          ('"card": state["cards"][player],',
           '"card": state["cards"][player], "other": state["cards"][1 - player],')),
        M("observation_hides_public_card", ('"card": state["cards"][player],\n            "public": state["public"],',
                                            '"card": state["cards"][player],\n            "public": None,')),
        RESAMPLE_STUB_RAISES,
    ],
    "quadranto": [
        M("catch_rule_removed", ('if cell == state["paths"][1 - player][-1]:', "if False:")),
        M("winner_inverted", ('[1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]',
                              '[-1.0, 1.0] if state["winner"] == 0 else [1.0, -1.0]')),
        M("turn_not_passed", ("return moves % 2", "return 0")),
        M("state_mutated_in_place", ('new_state = {"paths": [_copy_path(path) for path in state["paths"]], ',
                                     'new_state = {"paths": state["paths"], ')),
        M("legal_actions_when_over", (TERMINAL_EMPTY, TERMINAL_EMPTY.replace("[]", '["Stay"]'))),
        M("off_the_board_edge", ("all(0 <= x < SIZE for x in", "all(0 <= x <= SIZE for x in")),
        M("one_move_too_many", ("MAX_MOVES = 20", "MAX_MOVES = 21")),
        M("observation_leaks_opponent_cell",
          ('"opponent_quadrant": quadrants[-1] if quadrants', '"opponent_quadrant": theirs[-1] if theirs')),
        M("resample_ignores_no_catch", ("if cell not in ours]", "]")),
        M("resample_drops_last_action", ("    return actions\n", "    return actions[:-1]\n")),
        RESAMPLE_STUB_EMPTY,
    ],
}
# fmt: on


@cache
def _pack(game: str) -> GamePack:
    return get_pack(game)


def _mutants_param() -> list:
    return [pytest.param(g, m.name, id=f"{g}-{m.name}") for g in GAMES for m in MUTANTS[g]]


@cache
def _reference_report(game: str) -> Report:
    pack = _pack(game)
    return verify(pack.reference_source, pack, CONFIG, file=f"{game}/reference.py")


@cache
def _mutant_reports(game: str) -> dict[str, Report]:
    """Every mutant of `game`, verified `JOBS` at a time (applied here, so a stale edit fails loudly)."""
    pack = _pack(game)
    sources = [(m.apply(pack.reference_source), pack, f"{game}:{m.name}") for m in MUTANTS[game]]
    return {m.name: r for m, r in zip(MUTANTS[game], verify_many(sources, CONFIG, jobs=JOBS), strict=True)}


def _failed(report: Report) -> set[str]:
    return {f"{tier}.{c.name}" for tier, t in report.tiers.items() for c in t.checks if not c.passed}


def _passed(report: Report) -> set[str]:
    return {f"{tier}.{c.name}" for tier, t in report.tiers.items() for c in t.checks if c.passed}


def _killers(game: str, name: str) -> set[str]:
    """Checks that pass on the reference and fail on the mutant."""
    return _passed(_reference_report(game)) & _failed(_mutant_reports(game)[name])


def test_mutant_names_are_unique() -> None:
    for game, mutants in MUTANTS.items():
        names = [m.name for m in mutants]
        assert len(names) == len(set(names)), f"{game}: duplicate mutant names {names}"


@pytest.mark.parametrize("game", GAMES)
def test_mutants_apply(game: str) -> None:
    """Every edit still matches the reference exactly once and the mutant still compiles."""
    source = _pack(game).reference_source
    for mutant in MUTANTS[game]:
        compile(mutant.apply(source), f"{game}:{mutant.name}", "exec")


@pytest.mark.parametrize("game", GAMES)
def test_reference_scores_perfect(game: str) -> None:
    report = _reference_report(game)
    failed = {f"{tier}.{c.name}": c.detail for tier, t in report.tiers.items() for c in t.checks if not c.passed}
    assert report.overall == 1.0 and report.reward == 1.0, (
        f"{game} reference: overall {report.overall}, reward {report.reward}; failing checks {failed}; "
        f"reason {report.reason}"
    )


@pytest.mark.parametrize(("game", "name"), _mutants_param())
def test_mutant_is_killed(game: str, name: str) -> None:
    report = _mutant_reports(game)[name]
    assert _killers(game, name), (
        f"{game} mutant {name!r} survived: every check that passes on the reference also passes on it "
        f"(overall {report.overall:.3f}, reward {report.reward:.3f}, reason {report.reason})"
    )


def test_kill_rate() -> None:
    """Print killed/total per game, then what killed each mutant, and require a 100% kill rate."""
    summary, details, survivors = [], [], []
    for game in GAMES:
        killed = 0
        for mutant in MUTANTS[game]:
            killers = sorted(_killers(game, mutant.name))
            killed += bool(killers)
            if not killers:
                survivors.append(f"{game}:{mutant.name}")
            shown = ", ".join(killers[:3]) + (f" (+{len(killers) - 3} more)" if len(killers) > 3 else "")
            details.append(f"  {game:<16} {mutant.name:<32} {shown or 'SURVIVED'}")
        total = len(MUTANTS[game])
        summary.append(f"  {game:<16} {killed:>3}/{total:<3} {100 * killed / total:5.1f}%")
    print("\nverifier kill rate per game (killed mutants / mutants)")
    print("\n".join(summary))
    print("mutants and the checks that killed them")
    print("\n".join(details))
    assert not survivors, f"mutants the verifier failed to kill: {survivors}"
