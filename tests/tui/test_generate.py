"""The generate screen with a fake streaming model: best of N, a repair round, saving, cancelling, errors."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select, Static

from gamecwm.tui.app import make_app
from gamecwm.tui.code_view import CodeView
from gamecwm.tui.generate_screen import GenerateScreen
from gamecwm.tui.verify_screen import VerifyScreen
from tests.tui.fakes import NO_DIAGONALS, TTT, FakeGenerator, quick_verify, reply, run_async, wait_for

SIZE = (100, 32)


def samples_table(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one("#samples-table", DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


def status(app) -> str:
    return str(app.screen.query_one("#gen-status", Static).render())


@run_async
async def test_generate_best_of_two_with_a_repair_round_then_save(tmp_path):
    # sample 1 has a rule bug, sample 2 holds no code; the repair round (seed 2) returns the reference
    fake = FakeGenerator([reply(NO_DIAGONALS), "Sorry, I cannot do that.", reply(TTT.reference_source)])
    models = []

    def factory(model_path):
        models.append(model_path)
        return fake

    app = make_app(game="tic_tac_toe", generator_factory=factory, verify_fn=quick_verify)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, GenerateScreen)
        app.screen.query_one("#samples", Select).value = 2
        app.screen.query_one("#repairs", Select).value = 1
        await pilot.press("g")
        await wait_for(pilot, lambda: app.screen.worker is None and app.screen.selected is not None, what="generation")

        assert models == [None]  # the embedded default model
        rows = samples_table(app)
        assert [row[0] for row in rows] == ["sample 1", "sample 2", "repair 1"]
        assert rows[1][1] == "no code" and rows[2][1:] == ("1.00", "1.00")
        assert float(rows[0][1]) < 1.0
        # the repair prompt shows the model its reply and the failing checks
        repair_prompt = fake.prompts[2]
        assert repair_prompt[-2] == {"role": "assistant", "content": f"```python\n{NO_DIAGONALS}```"}
        assert "checks failed" in repair_prompt[-1]["content"] and "anti-diagonal" in repair_prompt[-1]["content"]
        # the best sample is shown, verified, and becomes the game's candidate
        assert app.screen.query_one("#code", CodeView).code == TTT.reference_source
        assert "best: repair 1 · reward 1.00" in status(app)
        assert app.candidate.source == TTT.reference_source

        await pilot.press("v")
        assert isinstance(app.screen, VerifyScreen) and app.screen.report.overall == 1.0
        await pilot.press("escape")

        await pilot.press("s")
        target = tmp_path / "out" / "ttt.py"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text() == TTT.reference_source


@run_async
async def test_cancel_a_running_generation():
    fake = FakeGenerator([reply(TTT.reference_source)], chunk=8, delay=0.01)
    app = make_app(game="tic_tac_toe", generator_factory=lambda path: fake, verify_fn=quick_verify)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "g")
        await wait_for(pilot, lambda: "streaming" in status(app), what="streaming")
        shown = app.screen.query_one("#code", CodeView).code
        assert shown and TTT.reference_source.startswith(shown)  # the fence is stripped as it streams
        await pilot.press("x")
        await wait_for(pilot, lambda: app.screen.worker is None, what="the cancel")
        assert status(app) == "generation cancelled"
        assert fake.closed == 1  # the model's stream was closed, not run to the end
        assert samples_table(app) == [] and app.candidate is None


@run_async
async def test_the_base_model_is_one_choice_away():
    models = []

    def factory(model_path):
        models.append(model_path)
        return FakeGenerator([reply(TTT.reference_source)])

    app = make_app(game="tic_tac_toe", generator_factory=factory, verify_fn=quick_verify)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        assert app.screen.query_one("#model", Select).value == "embedded"  # with the shipped adapter
        app.screen.query_one("#model", Select).value = "base"
        await pilot.pause()
        assert not app.screen.query_one("#model-path", Input).display
        await pilot.press("g")
        await wait_for(pilot, lambda: app.screen.worker is None and app.screen.selected is not None, what="generation")
        assert models == ["base"]  # the embedded GGUF without the adapter (runtime.llama.resolve_model)


@run_async
async def test_a_missing_model_is_a_notification_with_the_fix():
    def factory(model_path):
        raise FileNotFoundError(f"model file not found: {model_path}; build one with `make export-gguf`")

    app = make_app(game="tic_tac_toe", model="runs/missing.gguf", generator_factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        assert app.screen.query_one("#model", Select).value == "file"
        await pilot.press("g")
        await wait_for(pilot, lambda: app.screen.worker is None, what="the failure")
        assert "generation failed: model file not found: runs/missing.gguf" in status(app)
        assert any("make export-gguf" in n.message for n in app._notifications)


@run_async
async def test_the_tui_and_the_generate_command_give_the_same_drafts(tmp_path, monkeypatch, capsys):
    # one engine: the same model, settings and seed give the same drafts, scores and best module
    replies = [reply(NO_DIAGONALS), "Sorry, I cannot do that.", reply(TTT.reference_source)]
    import gamecwm.runtime as runtime
    from gamecwm.cli import main

    monkeypatch.setattr(runtime, "LlamaGenerator", lambda *a, **k: FakeGenerator(replies))
    out = tmp_path / "cli.py"
    assert main(["generate", "tic_tac_toe", "--samples", "2", "--repair", "1", "--quiet", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith(("sample ", "repair "))]
    command = {line.split(":")[0]: line.split(": ", 1)[1] for line in lines}  # label -> "reward 0.857, ..."

    app = make_app(game="tic_tac_toe", generator_factory=lambda path: FakeGenerator(replies))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        app.screen.query_one("#samples", Select).value = 2
        app.screen.query_one("#repairs", Select).value = 1
        await pilot.press("g")
        await wait_for(pilot, lambda: app.screen.worker is None and app.screen.selected is not None, what="generation")
        rows = samples_table(app)
        assert [row[0] for row in rows] == list(command) == ["sample 1", "sample 2", "repair 1"]
        for label, reward, _ in rows:
            if reward == "no code":
                assert command[label].startswith("no code block")
            else:  # the screen shows two decimals, the command three
                assert float(command[label].split()[1].rstrip(",")) == pytest.approx(float(reward), abs=0.005)
        assert app.candidate.source == out.read_text() == TTT.reference_source
