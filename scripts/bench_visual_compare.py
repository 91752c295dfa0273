"""How long the visual check takes to compare a 1280x800 shot with its baseline.

    python scripts/bench_visual_compare.py              # the suite's comparison, 3 cases
    python scripts/bench_visual_compare.py --runs 50 --others

The shots are drawn here (a header bar and 30 table rows of anti-aliased DejaVu Sans text, as
the platform's screens look): the same shot again (PNG bytes equal), a re-encoded copy (the
same pixels in other bytes, so both are decoded), a shot with one status word changed (a
real difference: decoding both, then pixelmatch over the rectangle that differs), and that
shot against a baseline already decoded, which is what each retry of a check costs. Each figure is
the median of `--runs` calls, PNG decoding included, the diff image excluded (it is made only
for a failure). `--others` times the pixelmatch ports on PyPI that happen to be installed over
the whole image, for the README's comparison.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fixtures.visual.compare import Tolerance, compare, decode

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WIDTH, HEIGHT = 1280, 800


def screen(*, changed: bool = False) -> Image.Image:
    """A page-like 1280x800 picture; `changed` shows one row's status in other words."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (246, 247, 250))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 15)
    draw.rectangle((0, 0, WIDTH, 48), fill=(17, 24, 39))
    draw.text((20, 14), "Synthetic Data Studio", font=font, fill=(255, 255, 255))
    for row in range(30):
        y = 70 + row * 24
        status = "cancelled" if changed and row == 12 else "completed"
        text = f"Job #{row + 1}    Persona {row:03d}    {status}    {row * 7} / 100    $0.{row:04d}"
        draw.text((40, y), text, font=font, fill=(29, 35, 48))
        draw.line((30, y + 21, 1100, y + 21), fill=(217, 222, 231))
    return image


def png(image: Image.Image, *, level: int = 6) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=level)
    return buffer.getvalue()


def median_ms(call: Callable[[], object], runs: int) -> float:
    call()  # warm: imports, caches, JIT
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def others(expected: bytes, actual: bytes, runs: int) -> list[tuple[str, float | None]]:
    """Other pixelmatch ports over the whole image, PNG decoding included; None: not installed."""
    results: list[tuple[str, float | None]] = []
    try:
        import pybind11_pixelmatch

        options = pybind11_pixelmatch.Options()
        options.threshold = 0.2

        def whole() -> int:
            return pybind11_pixelmatch.pixelmatch(decode(expected), decode(actual), options=options)

        results.append(("pybind11-pixelmatch, whole image", median_ms(whole, runs)))
    except ImportError:
        results.append(("pybind11-pixelmatch, whole image", None))
    try:
        import pixelmatch  # pixelmatch (pure Python) and pixelmatch-fast share this name

        try:
            metadata.version("pixelmatch-fast")
            name = "pixelmatch-fast"
        except metadata.PackageNotFoundError:
            name = "pixelmatch"

        def ported() -> int:
            a, b = Image.open(io.BytesIO(expected)), Image.open(io.BytesIO(actual))
            if name == "pixelmatch":
                w, h = a.size
                return pixelmatch.pixelmatch(
                    np.asarray(a.convert("RGBA")).tobytes(), np.asarray(b.convert("RGBA")).tobytes(),
                    w, h, threshold=0.2,
                )  # fmt: skip
            return pixelmatch.pixelmatch(a, b, threshold=0.2)

        results.append((f"{name}, whole image", median_ms(ported, max(1, runs // 10))))
    except ImportError:
        results.append(("pixelmatch / pixelmatch-fast", None))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="calls per case (median)")
    parser.add_argument("--others", action="store_true", help="also time other pixelmatch ports")
    args = parser.parse_args(argv)

    baseline = png(screen())
    same_pixels = png(screen(), level=1)
    changed = png(screen(changed=True))
    tolerance = Tolerance()
    cases = [
        ("identical bytes", same_pixels, same_pixels),
        ("same pixels, other bytes", baseline, same_pixels),
        ("one word changed", baseline, changed),
        # What each retry of a check costs: the baseline is decoded once per check.
        ("one word changed, decoded baseline", decode(baseline), changed),
    ]
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"comparing a {WIDTH}x{HEIGHT} shot with its baseline, median of {args.runs} calls")
    print(f"(load average {load} on {os.cpu_count()} cores)")
    for title, expected, actual in cases:
        result = compare(expected, actual, tolerance)
        ms = median_ms(lambda e=expected, a=actual: compare(e, a, tolerance), args.runs)
        print(f"  {title:<36} {ms:7.1f} ms   ({result.diff_pixels} pixels differ)")
    print(f"  {'decoding one PNG':<28} {median_ms(lambda: decode(baseline), args.runs):7.1f} ms")
    if args.others:
        for title, ms in others(baseline, changed, args.runs):
            shown = f"{ms:7.1f} ms" if ms is not None else "not installed"
            print(f"  {title:<36} {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
