"""The visual check's own logic, without a browser: the pixel comparison, the retry loop, where
baselines live and what each update mode writes, and the evidence a mismatch leaves."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pybind11_pixelmatch
import pytest
from PIL import Image, ImageDraw, ImageFont

from fixtures.settings import ConfigError, parse_config
from fixtures.visual import check as check_module
from fixtures.visual.baselines import (
    CheckPlace,
    Decision,
    UpdateMode,
    baseline_path,
    decide,
    default_update_mode,
)
from fixtures.visual.check import VisualCheck, image_diff_json, settle
from fixtures.visual.compare import Tolerance, compare, decode, diff_image, encode
from fixtures.visual.plugin import WrittenBaselines

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _page(width: int = 320, height: int = 120, *, text: str = "Job #12 completed") -> np.ndarray:
    """A small picture with anti-aliased text, like a part of a screen."""
    image = Image.new("RGBA", (width, height), (246, 247, 250, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 24), fill=(17, 24, 39, 255))
    draw.text((12, 40), text, font=ImageFont.truetype(FONT, 15), fill=(29, 35, 48, 255))
    return np.array(image)


def _png(pixels: np.ndarray) -> bytes:
    return encode(pixels)


def test_identical_shots_match_and_count_no_pixel() -> None:
    png = _png(_page())

    result = compare(png, png)

    assert result.matches and result.diff_pixels == 0 and result.expected_size == (320, 120)


def test_a_colour_change_counts_only_above_the_perceptual_threshold() -> None:
    expected = np.full((10, 10, 4), 200, dtype=np.uint8)
    expected[..., 3] = 255
    actual = expected.copy()
    actual[4, 4, :3] = 190  # a YIQ distance of about 51, a threshold of 0.038

    assert compare(expected, actual, Tolerance(threshold=0.2)).diff_pixels == 0
    assert compare(expected, actual, Tolerance(threshold=0.03)).diff_pixels == 1


def test_the_count_over_the_differing_box_equals_pixelmatch_over_the_whole_image() -> None:
    # The word moved by one pixel: anti-aliased edges that pixelmatch must tell from changes.
    expected, actual = _page(text="Job #12 completed"), _page(text="Job #12 cancelled")
    actual[80:84, 300:304] = (255, 0, 0, 255)
    options = pybind11_pixelmatch.Options()
    options.threshold = 0.2
    whole = pybind11_pixelmatch.pixelmatch(expected, actual, options=options)

    result = compare(_png(expected), _png(actual))

    assert result.diff_pixels == whole > 16


def test_the_limits_follow_playwright_the_larger_of_pixels_and_ratio_and_none_by_default() -> None:
    assert Tolerance().allowed_pixels(1000) == 0
    assert Tolerance(max_diff_pixels=5).allowed_pixels(1000) == 5
    assert Tolerance(max_diff_pixel_ratio=0.01).allowed_pixels(1000) == 10
    assert Tolerance(max_diff_pixels=50, max_diff_pixel_ratio=0.01).allowed_pixels(1000) == 50
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        Tolerance(threshold=1.5)


def test_a_mismatch_names_its_numbers_and_a_different_size_never_matches() -> None:
    expected = _page()
    actual = expected.copy()
    actual[60:70, 100:110] = (255, 0, 0, 255)

    result = compare(expected, actual, Tolerance(max_diff_pixels=99))
    resized = compare(expected, _page(height=130), Tolerance(max_diff_pixel_ratio=1.0))

    assert (result.diff_pixels, result.matches) == (100, False)
    assert result.describe() == "100 pixels differ (0.2604% of 38400); at most 99 may"
    assert not resized.matches
    assert resized.describe() == "expected an image 320x120 px, the page gave 320x130 px"


def test_the_diff_image_paints_differing_pixels_red_and_fades_the_rest() -> None:
    expected = _page()
    actual = expected.copy()
    actual[60, 100] = (255, 0, 0, 255)

    diff = diff_image(expected, actual, threshold=0.2)
    padded = diff_image(expected, _page(width=330), threshold=0.2)

    assert tuple(diff[60, 100]) == (255, 0, 0, 255)
    assert diff[110, 300, 0] == diff[110, 300, 1] == diff[110, 300, 2] > 200
    assert padded.shape == (120, 330, 4)


class _Shots:
    """A target whose screenshots are the given pictures in turn (the last one repeating)."""

    def __init__(self, *pictures: np.ndarray) -> None:
        self.pngs = [_png(picture) for picture in pictures]
        self.taken: list[dict[str, Any]] = []

    def screenshot(self, **options: Any) -> bytes:
        self.taken.append(options)
        return self.pngs[min(len(self.taken), len(self.pngs)) - 1]


def _ticking(step: float = 0.1) -> Iterator[float]:
    now = 0.0
    while True:
        yield now
        now += step


def test_retrying_stops_at_the_first_shot_that_matches_the_baseline() -> None:
    shots = _Shots(_page())

    settled = settle(lambda: shots.screenshot(), _page(), Tolerance(), timeout_s=5)

    assert (settled.stable, settled.shots, settled.comparison.matches) == (True, 1, True)


def test_a_settling_page_is_shot_until_two_consecutive_shots_agree() -> None:
    moving = _page(text="Loading")
    shots = _Shots(moving, _page(text="Loaded."), _page(text="Loaded."))

    settled = settle(lambda: shots.screenshot(), None, Tolerance(), timeout_s=5)

    assert (settled.stable, settled.shots) == (True, 3)


def test_a_page_that_never_settles_is_reported_as_such_when_time_is_up() -> None:
    frames = [_png(_page(text=f"frame {n}")) for n in range(100)]
    clock = _ticking()
    pictures = iter(frames)

    settled = settle(
        lambda: next(pictures), None, Tolerance(), timeout_s=1, clock=lambda: next(clock)
    )

    assert not settled.stable and 5 <= settled.shots <= 15


@pytest.mark.parametrize(
    ("mode", "exists", "matches", "decision"),
    [
        (UpdateMode.NONE, False, None, Decision.FAIL_MISSING),
        (UpdateMode.MISSING, False, None, Decision.WRITE),
        (UpdateMode.MISSING, True, False, Decision.COMPARE),
        (UpdateMode.CHANGED, True, False, Decision.WRITE),
        (UpdateMode.CHANGED, True, True, Decision.COMPARE),
        (UpdateMode.ALL, True, True, Decision.WRITE),
        (UpdateMode.NONE, True, False, Decision.COMPARE),
    ],
)
def test_each_update_mode_writes_only_its_baselines(
    mode: UpdateMode, exists: bool, matches: bool | None, decision: Decision
) -> None:
    assert decide(mode, exists=exists, matches=matches) is decision


def test_the_default_mode_is_missing_and_none_under_ci() -> None:
    assert default_update_mode(None, {}) is UpdateMode.MISSING
    assert default_update_mode(None, {"CI": "true"}) is UpdateMode.NONE
    assert default_update_mode("changed", {"CI": "true"}) is UpdateMode.CHANGED


def test_the_path_template_takes_playwrights_tokens_per_project() -> None:
    place = CheckPlace(
        Path("e2e/test_visual.py"), "test_dashboard[mobile-chromium]", "mobile-chromium"
    )
    template = "{testDir}/__screenshots__/{projectName}/{testFilePath}/{testName}/{arg}{ext}"

    path = baseline_path(template, Path("/repo"), place, "dashboard-empty.png")

    assert path == Path(
        "/repo/e2e/__screenshots__/mobile-chromium/test_visual.py/test_dashboard/dashboard-empty.png"
    )
    with pytest.raises(ValueError, match=r"unknown token \{project\}"):
        baseline_path("{project}/{arg}{ext}", Path("/repo"), place, "x")
    with pytest.raises(ValueError, match="becomes a file name"):
        baseline_path(template, Path("/repo"), place, "../escape")


@pytest.fixture
def attached(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(
        check_module.allure, "attach", lambda body, **kw: seen.append({"body": body, **kw})
    )
    return seen


def _check(tmp_path: Path, mode: UpdateMode, written: list[Path]) -> VisualCheck:
    return VisualCheck(
        baseline_for=lambda name: tmp_path / "baselines" / f"{name}.png",
        output_dir=tmp_path / "out",
        update=mode,
        timeout_s=1,
        root=tmp_path,
        on_written=written.append,
    )


def test_a_missing_baseline_is_written_from_a_settled_shot_and_reported(tmp_path: Path) -> None:
    written: list[Path] = []
    shots = _Shots(_page(text="Loading"), _page(), _page())

    _check(tmp_path, UpdateMode.MISSING, written).check(shots, "job-page")

    assert written == [tmp_path / "baselines" / "job-page.png"]
    assert decode(written[0].read_bytes()).tobytes() == _page().tobytes()
    assert shots.taken[0] == {
        "animations": "disabled", "caret": "hide", "scale": "css", "mask": [],
        "mask_color": "#FF00FF", "style": None, "omit_background": False, "type": "png",
    }  # fmt: skip


def test_a_missing_baseline_fails_under_ci_and_keeps_the_shot(tmp_path: Path) -> None:
    written: list[Path] = []

    with pytest.raises(
        AssertionError, match="no baseline at baselines/job-page.png, and CI is set"
    ):
        _check(tmp_path, UpdateMode.NONE, written).check(_Shots(_page()), "job-page")

    assert written == [] and (tmp_path / "out" / "job-page-actual.png").exists()


def test_a_mismatch_keeps_expected_actual_and_diff_and_attaches_an_allure_image_diff(
    tmp_path: Path, attached: list[dict[str, Any]]
) -> None:
    baseline = tmp_path / "baselines" / "job-page.png"
    baseline.parent.mkdir()
    baseline.write_bytes(_png(_page(text="Job #12 completed")))

    with pytest.raises(AssertionError) as failure:
        _check(tmp_path, UpdateMode.MISSING, []).check(
            _Shots(_page(text="Job #12 cancelled")), "job-page"
        )

    message = str(failure.value)
    assert 'visual check "job-page" does not match baselines/job-page.png: ' in message
    assert "pixels differ" in message and "threshold 0.2, no pixel may differ" in message
    for kind in ("expected", "actual", "diff"):
        assert (tmp_path / "out" / f"job-page-{kind}.png").exists(), kind
    [attachment] = attached
    assert attachment["attachment_type"] == "application/vnd.allure.image.diff"
    assert attachment["extension"] == "imagediff"
    body = json.loads(attachment["body"])
    assert body["name"] == "job-page"
    png = base64.b64decode(body["diff"].removeprefix("data:image/png;base64,"))
    assert Image.open(io.BytesIO(png)).size == (320, 120)


def test_changed_rewrites_a_baseline_that_no_longer_matches(tmp_path: Path) -> None:
    baseline = tmp_path / "baselines" / "job-page.png"
    baseline.parent.mkdir()
    baseline.write_bytes(_png(_page(text="old")))
    written: list[Path] = []

    _check(tmp_path, UpdateMode.CHANGED, written).check(_Shots(_page(text="new")), "job-page")

    assert written == [baseline] and baseline.read_bytes() == _png(_page(text="new"))


def test_a_name_is_one_shot_per_test_and_options_reach_the_screenshot(tmp_path: Path) -> None:
    shots = _Shots(_page())
    visual = _check(tmp_path, UpdateMode.MISSING, [])

    visual.check(shots, "a", style="nav { visibility: hidden }", caret="initial", mask_color="#000")

    assert shots.taken[0]["style"] == "nav { visibility: hidden }"
    assert (shots.taken[0]["caret"], shots.taken[0]["mask_color"]) == ("initial", "#000")
    with pytest.raises(ValueError, match="made twice in one test"):
        visual.check(shots, "a")
    with pytest.raises(ValueError, match="full_page applies to a page"):
        visual.check(shots, "b", full_page=True)


def test_the_image_diff_attachment_is_the_three_pngs_as_data_uris() -> None:
    body = json.loads(image_diff_json("x", b"E", b"A", b"D"))

    assert body == {
        "name": "x",
        "expected": "data:image/png;base64,RQ==",
        "actual": "data:image/png;base64,QQ==",
        "diff": "data:image/png;base64,RA==",
    }


class _Report:
    def __init__(self, when: str, properties: list[tuple[str, str]]) -> None:
        self.when, self.user_properties = when, properties


class _Terminal:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def section(self, title: str) -> None:
        self.lines.append(f"== {title}")

    def write_line(self, line: str) -> None:
        self.lines.append(line)


def test_the_run_lists_every_baseline_written_once(pytestconfig: pytest.Config) -> None:
    listing = WrittenBaselines(pytestconfig)
    wrote = [("visual_baseline_written", "e2e/__screenshots__/p/t.py/a.png")]
    for report in (_Report("call", wrote), _Report("call", wrote), _Report("setup", [])):
        listing.pytest_runtest_logreport(report)  # type: ignore[arg-type]
    terminal = _Terminal()

    listing.pytest_terminal_summary(terminal)  # type: ignore[arg-type]

    assert terminal.lines[0] == "== visual baselines written"
    assert "  e2e/__screenshots__/p/t.py/a.png" in terminal.lines
    assert sum("a.png" in line for line in terminal.lines) == 1


def test_the_settings_file_carries_the_checks_defaults_and_refuses_a_bad_threshold() -> None:
    base = {"projects": [{"name": "p", "browser": "chromium"}]}
    config = parse_config(base, source=Path("playwright.config.json"), devices={})

    assert config.to_have_screenshot.threshold == 0.2
    assert config.to_have_screenshot.animations == "disabled"
    with pytest.raises(ConfigError, match=r"toHaveScreenshot\.threshold"):
        parse_config(
            {**base, "toHaveScreenshot": {"threshold": 2}},
            source=Path("playwright.config.json"),
            devices={},
        )
