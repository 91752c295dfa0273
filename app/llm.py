"""A deterministic stand-in for a language model, and the token counter that prices records."""

from __future__ import annotations

import random
import re

VOCABULARY = (
    "amber",
    "anchor",
    "answer",
    "atlas",
    "autumn",
    "balance",
    "beacon",
    "bright",
    "bridge",
    "calm",
    "canvas",
    "careful",
    "castle",
    "cedar",
    "chapter",
    "clear",
    "clever",
    "cloud",
    "compass",
    "copper",
    "coral",
    "crisp",
    "curious",
    "dawn",
    "delta",
    "detail",
    "distant",
    "echo",
    "ember",
    "engine",
    "even",
    "fable",
    "field",
    "flint",
    "focus",
    "forest",
    "friendly",
    "garden",
    "gentle",
    "glass",
    "golden",
    "harbor",
    "helpful",
    "hidden",
    "horizon",
    "idea",
    "island",
    "journey",
    "keen",
    "lantern",
    "layer",
    "light",
    "linen",
    "lively",
    "lucid",
    "maple",
    "marble",
    "meadow",
    "measure",
    "method",
    "modest",
    "motion",
    "narrow",
    "noble",
    "north",
    "ocean",
    "orbit",
    "patient",
    "pattern",
    "pebble",
    "pilot",
    "plain",
    "polite",
    "prism",
    "quiet",
    "rapid",
    "record",
    "river",
    "rocket",
    "sample",
    "signal",
    "silver",
    "simple",
    "steady",
    "stone",
    "story",
    "summit",
    "sunny",
    "swift",
    "thread",
    "timber",
    "tidy",
    "travel",
    "true",
    "valley",
    "vivid",
    "warm",
    "willow",
    "winter",
    "wise",
    "yellow",
)
MIN_COMPLETION_WORDS = 20
MAX_COMPLETION_WORDS = 40
# The completion is MIN..MAX words and a full stop, each one token.
MIN_COMPLETION_TOKENS = MIN_COMPLETION_WORDS + 1

_TOKEN = re.compile(r"\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    """Words and punctuation marks each count as one token."""
    return len(_TOKEN.findall(text))


def complete(job_id: int | str, index: int) -> str:
    """The completion for record `index` of job `job_id`: the same inputs give the same text."""
    rng = random.Random(f"{job_id}:{index}")
    words = rng.choices(VOCABULARY, k=rng.randint(MIN_COMPLETION_WORDS, MAX_COMPLETION_WORDS))
    return " ".join(words).capitalize() + "."


def cost_usd(tokens: int, price_per_1k_tokens: float) -> float:
    """Price of `tokens` tokens, rounded to a billionth of a dollar to keep sums exact enough."""
    return round(tokens * price_per_1k_tokens / 1000, 9)
