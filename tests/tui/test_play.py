"""The play screen: a full human-vs-MCTS game, cancelling a bot's move, and a crashing model."""

from __future__ import annotations

import io
import threading

from rich.console import Console
from textual.widgets import Log, OptionList, Select, Static

from gamecwm.search.engine import LocalEngine
from gamecwm.tui.app import make_app
from gamecwm.tui.board_view import BoardView
from gamecwm.tui.play_screen import PlayScreen
from gamecwm.tui.services import Candidate
from tests.tui.fakes import CRASHES, TTT, run_async, wait_for

SIZE = (100, 32)


def log_lines(app) -> list[str]:
    return list(app.screen.query_one("#log", Log).lines)


def plain(renderable) -> str:
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def status(app) -> str:
    return str(app.screen.query_one("#play-status", Static).render())


@run_async
async def test_play_a_full_game_human_against_mcts():
    app = make_app(game="tic_tac_toe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert [screen.query_one(f"#seat{p}", Select).value for p in (0, 1)] == ["human", "mcts"]
        screen.query_one("#sims", Select).value = 200
        for _ in range(5):  # the person plays the first legal action each turn, the bot answers
            await wait_for(pilot, lambda: screen.phase in ("human", "over"), what="the person's turn")
            if screen.phase == "over":
                break
            legal = screen.query_one("#legal", OptionList)
            assert legal.option_count == len(screen.info["legal"]) and legal.has_focus
            await pilot.press("enter")
        await wait_for(pilot, lambda: screen.phase == "over", what="the end of the game")
        lines = log_lines(app)
        assert lines[0] == "game 1: human vs mcts"
        assert any("player 1 (mcts):" in line for line in lines)
        assert lines[-1].startswith("game over: ") and "Game over after" in status(app)
        assert len(screen.actions) == len(lines) - 2
        # MCTS does not lose to a person who always plays the first legal cell
        assert "player 0 (human) wins" not in lines[-1], lines
        board = screen.query_one("#board", BoardView)
        assert board.border_title == "player 0's view"
        final = screen.info["observations"][0]["board"]
        assert plain(board.content).splitlines()[2:5] == [f"{r}  {' '.join(row)}" for r, row in enumerate(final)]

        await pilot.press("n")  # a new game starts with an empty log and board
        await wait_for(pilot, lambda: screen.phase == "human", what="the new game")
        assert log_lines(app) == ["game 2: human vs mcts"] and screen.actions == []


@run_async
async def test_hidden_information_stays_hidden_until_the_end():
    app = make_app(game="kuhn_poker")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        screen = app.screen
        assert [screen.query_one(f"#seat{p}", Select).value for p in (0, 1)] == ["human", "ismcts"]
        screen.query_one("#seat1", Select).value = "random"
        while screen.phase != "over":
            await wait_for(pilot, lambda: screen.phase in ("human", "over"), what="the person's turn")
            if screen.phase == "human":
                assert screen.query_one("#board", BoardView).border_title == "player 0's view"  # never player 1's
                await pilot.press("enter")
        lines = log_lines(app)
        deals = [line for line in lines if "chance:" in line]
        assert len(deals) == 2 and all(line.endswith("chance: (hidden)") for line in deals)
        assert lines[-2] == f"all moves: {' '.join(screen.actions)}" and screen.actions[0].startswith("deal:")


class SlowEngine(LocalEngine):
    """A reference engine whose bot moves wait until the test releases them."""

    release = threading.Event()

    def __init__(self, game):
        super().__init__(game)
        self.closed = False

    def choose(self, actions, player, planner, seed):
        self.release.wait(10)
        return super().choose(actions, player, planner, seed)

    def close(self):
        self.closed = True


@run_async
async def test_cancel_a_bot_move_then_let_it_move():
    engines = []

    def factory(candidate):
        engines.append(SlowEngine(candidate.pack.reference))
        return engines[-1]

    app = make_app(game="tic_tac_toe", engine_factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        screen = app.screen
        await wait_for(pilot, lambda: screen.phase == "human", what="the person's turn")
        screen.query_one("#seat0", Select).value = "random"  # the person hands over to a bot
        await wait_for(pilot, lambda: screen.phase == "bot", what="the bot thinking")
        await pilot.press("x")
        assert screen.phase == "paused" and "move cancelled" in status(app)
        # the search cannot be interrupted: its engine is retired, play goes on with a fresh one
        assert len(engines) == 2 and screen.engine is engines[1] and not engines[0].closed
        SlowEngine.release.set()
        await wait_for(pilot, lambda: engines[0].closed, what="the retired engine closing")
        assert screen.actions == [] and screen.phase == "paused"  # the cancelled move was dropped
        await pilot.press("m")
        await wait_for(pilot, lambda: len(screen.actions) >= 2, what="the bots moving again")
        assert len(engines) == 2


@run_async
async def test_a_crashing_model_ends_the_game_with_a_notification():
    app = make_app(game="tic_tac_toe")
    app.candidate = Candidate(TTT, CRASHES, label="crashes.py")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")  # an untrusted source: played in the sandboxed engine
        screen = app.screen
        await wait_for(pilot, lambda: screen.phase == "human", what="the first move")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.phase == "over", what="the crash")
        assert "Game ended: the game's model failed" in status(app) and "boom" in status(app)
        assert any("boom" in n.message for n in app._notifications)
        await pilot.press("escape")  # the app lives on
        assert type(app.screen).__name__ == "GamesScreen"
