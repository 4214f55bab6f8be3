"""Closeness to the training references, per sample and in the report."""

from gamecwm.eval.report import SampleResult, build_report, markdown
from gamecwm.eval.similarity import closest_reference, code_tokens
from gamecwm.games import get_pack


def test_layout_and_comments_do_not_count_but_rules_do():
    source = get_pack("tic_tac_toe").reference_source
    reformatted = "# a comment\n" + source.replace("\n\n\n", "\n\n")
    assert code_tokens(reformatted) == code_tokens(source)
    closest = closest_reference(reformatted)
    assert (closest.game, closest.similarity) == ("tic_tac_toe", 1.0)
    changed = closest_reference(source.replace("3", "4"))
    assert changed.game == "tic_tac_toe" and 0.9 < changed.similarity < 1.0


def test_a_training_game_copied_for_a_held_out_one_is_flagged():
    held_out = get_pack("gen_tic_tac_toe")
    copy = closest_reference(get_pack("tic_tac_toe").reference_source, held_out.reference_source)
    assert copy.game == "tic_tac_toe" and copy.copies_another_game("gen_tic_tac_toe")
    own = closest_reference(held_out.reference_source, held_out.reference_source)
    assert own.own == 1.0 and not own.copies_another_game("gen_tic_tac_toe")  # its own reference is not a copy


def test_unparsable_text_still_gets_a_similarity():
    assert 0.0 <= closest_reference("def broken(:\n  'unterminated").similarity < 0.2


def _sample(k, closest, similarity, copies, tiers):
    return SampleResult("m", "gen_tic_tac_toe", str(k), f"f{k}", True, 0.5, 0.5, tiers, closest=closest,
                        similarity=similarity, copies_another_game=copies)  # fmt: skip


def test_the_report_counts_copies_of_another_game_that_pass_the_first_tiers():
    passing, failing = {"static": 1.0, "dynamics": 1.0}, {"static": 1.0, "dynamics": 0.5}
    rows = [_sample(0, "tic_tac_toe", 0.9, True, passing), _sample(1, "tic_tac_toe", 0.8, True, failing),
            _sample(2, "connect4", 0.3, False, passing)]  # fmt: skip
    report = build_report(rows, resamples=100)
    closest = report["closest"]["m"]
    assert closest["copies"] == 2 and closest["copies_of_another_game"] == 2
    assert closest["another_game_passing_static_and_dynamics"] == 1 and closest["median_similarity"] == 0.8
    assert closest["closest_games"] == {"tic_tac_toe": 2, "connect4": 1}
    text = markdown(report, {"title": "t", "settings": "s", "timing": "x"})
    assert "## Closest training reference" in text and "tic_tac_toe 2, connect4 1" in text
