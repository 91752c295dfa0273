"""User templates: Jinja2 text rendered in a sandbox with a few custom filters."""

from __future__ import annotations

import functools
import random
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError, pass_context
from jinja2.sandbox import SandboxedEnvironment


class PromptSyntaxError(Exception):
    """The template does not parse."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"Syntax error on line {line}: {message}")
        self.line = line
        self.message = message


class PromptRenderError(Exception):
    """The template parsed but failed while rendering a row."""


# What user code can raise while rendering: sandbox refusals, undefined values, bad operands.
RENDER_ERRORS = (
    TemplateError,
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    AttributeError,
    RecursionError,
)


def slug(value: Any) -> str:
    """`Hello, World!` → `hello-world`."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def title(value: Any) -> str:
    """Capitalise every word."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in str(value).split())


def mask(value: Any, keep: int = 4, char: str = "*") -> str:
    """Hide all but the last `keep` characters: `4111111111111111` → `************1111`."""
    text = str(value)
    keep = max(0, int(keep))
    visible = text[-keep:] if keep else ""
    return (char or "*")[0] * (len(text) - len(visible)) + visible


@pass_context
def pick(context, options: Any) -> str:
    """One of `options` (a list or a comma-separated string), fixed per record index."""
    choices = options if isinstance(options, list | tuple) else str(options).split(",")
    choices = [str(choice).strip() for choice in choices if str(choice).strip()]
    if not choices:
        return ""
    return random.Random(f"{context.get('index', 0)}:{'|'.join(choices)}").choice(choices)


def _environment() -> SandboxedEnvironment:
    environment = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)
    environment.filters.update({"slug": slug, "title": title, "mask": mask, "pick": pick})
    return environment


_ENVIRONMENT = _environment()


def compile_prompt(body: str):
    """Parse a template body, raising PromptSyntaxError with the line at fault."""
    try:
        return _compiled(body)
    except TemplateSyntaxError as error:
        raise PromptSyntaxError(error.lineno or 1, error.message or "invalid syntax") from None


# Compiling is most of a template test's work, and every test and job of a template compiles
# the same body; a compiled template holds no state of a render, so one can serve them all.
@functools.lru_cache(maxsize=512)
def _compiled(body: str):
    return _ENVIRONMENT.from_string(body)


def check_syntax(body: str) -> str | None:
    """The syntax error message for `body`, or None when it parses."""
    try:
        compile_prompt(body)
    except PromptSyntaxError as error:
        return str(error)
    return None


def render_prompt(template, row: Mapping[str, Any], index: int) -> str:
    """Render one seed row; its columns are variables, as are `row` and `index`."""
    variables = {key: value for key, value in row.items() if str(key).isidentifier()}
    variables.update(row=dict(row), index=index)
    try:
        return template.render(variables)
    except RENDER_ERRORS as error:
        raise PromptRenderError(f"Template error: {error}") from None
