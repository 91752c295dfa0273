"""How many screens a TTI budget pass measures at once: the choice from cores and interference."""

from __future__ import annotations

from fixtures.tti.depth import (
    INTERFERENCE_TOLERANCE,
    choose_depth,
    depth_allowed_by_cores,
    depth_from_interference,
    free_cores,
    next_depth_to_check,
)
from fixtures.tti.plugin import pass_line


def test_free_cores_are_the_cpus_less_the_load_and_never_negative():
    assert free_cores(8, 2.5) == 5.5
    assert free_cores(2, 3.7) == 0.0


def test_the_cores_allow_one_open_screen_per_free_core_and_at_least_one():
    assert depth_allowed_by_cores(0.0) == 1
    assert depth_allowed_by_cores(1.9) == 1
    assert depth_allowed_by_cores(2.0) == 2
    assert depth_allowed_by_cores(30.0, max_depth=8) == 8


def test_interference_allows_each_depth_only_while_every_shallower_one_was_undisturbed():
    assert depth_from_interference({}) == 1
    assert depth_from_interference({2: 1.40}) == 1
    assert depth_from_interference({2: 1.02}) == 2
    assert depth_from_interference({2: 1.02, 3: 1.04, 4: 1.30}) == 3
    # A depth measured fine past one that was not does not count.
    assert depth_from_interference({2: 1.30, 3: 1.01}) == 1


def test_the_tolerance_is_a_bound_that_holds_exactly_at_its_edge():
    edge = 1.0 + INTERFERENCE_TOLERANCE
    assert depth_from_interference({2: edge}) == 2
    assert depth_from_interference({2: edge + 0.001}) == 1
    assert depth_from_interference({2: 1.08}, tolerance=0.10) == 2


def test_depths_are_checked_upwards_until_one_disturbs_or_the_cap_is_reached():
    assert next_depth_to_check({}, cap=4) == 2
    assert next_depth_to_check({2: 1.01}, cap=4) == 3
    assert next_depth_to_check({2: 1.01, 3: 1.20}, cap=4) is None
    assert next_depth_to_check({2: 1.01, 3: 1.02, 4: 1.03}, cap=4) is None
    assert next_depth_to_check({}, cap=1) is None


def test_two_busy_cores_give_one_screen_at_a_time_whatever_the_check_says():
    choice = choose_depth(screens=14, cpu_count=2, load_average=1.2, slowdowns={2: 1.01})

    assert choice.depth == 1
    assert choice.cores_cap == 1
    assert "0.8 of 2 cores free" in choice.reason


def test_a_measured_slowdown_keeps_a_roomy_machine_at_one_screen_at_a_time():
    choice = choose_depth(screens=14, cpu_count=16, load_average=0.5, slowdowns={2: 1.6})

    assert choice.cores_cap == 8
    assert choice.depth == 1
    assert "x1.60 beside 1" in choice.reason


def test_a_roomy_undisturbed_machine_goes_as_deep_as_the_check_allows_and_no_deeper():
    slowdowns = {2: 1.00, 3: 1.03, 4: 1.09}
    choice = choose_depth(screens=14, cpu_count=16, load_average=0.5, slowdowns=slowdowns)

    assert choice.depth == 3
    assert choice.to_dict()["slowdown_by_depth"] == {"2": 1.0, "3": 1.03, "4": 1.09}


def test_the_depth_is_never_more_than_the_screens():
    choice = choose_depth(screens=2, cpu_count=16, load_average=0.0, slowdowns={2: 1.0, 3: 1.0})

    assert choice.depth == 2


def test_the_terminal_line_of_a_pass_states_its_depth_and_why():
    choice = choose_depth(screens=14, cpu_count=2, load_average=0.3, slowdowns={2: 1.45})
    entry = {
        "mode": "pipelined",
        "browser": "firefox",
        "depth": choice.depth,
        "depth_choice": choice.to_dict(),
        "depth_check_s": 6.2,
        "screens": 14,
        "wall_s": 80.1,
        "sum_of_tti_s": 3.3,
        "quiet_window_s": 5.0,
        "ratio_to_sum_plus_window": 9.65,
    }

    first, second = pass_line(entry).splitlines()

    assert first.startswith("pipelined pass, firefox, depth 1: 14 screens in 80.1 s")
    assert "x1.45 beside 1" in second
    assert "choosing took 6.2 s" in second
