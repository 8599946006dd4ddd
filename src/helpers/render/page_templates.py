"""The page shells and style sheets a reader opens in a browser (render/templates/): Jinja2
templates in which every {{ value }} is escaped as the report's tables escape it (html.escape,
quotes included), unless it is a Markup fragment rendered already. Jinja2 comes with nbconvert,
whose report template (helpers/notebook/templates) is Jinja2 too."""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _escaped(value: object) -> str:
    """What a {{ value }} prints: a Markup fragment as it is, anything else escaped."""
    if isinstance(value, Markup):
        return value
    return html.escape("" if value is None else str(value), quote=True)


@functools.cache
def environment() -> Environment:
    """The templates' environment (a missing variable is an error, never an empty string)."""
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False,
                       finalize=_escaped, keep_trailing_newline=True,
                       undefined=StrictUndefined)


def render_page(name: str, **context: object) -> str:
    """The template `name` rendered with `context`."""
    return environment().get_template(name).render(**context)


def fragment(html_text: str) -> Markup:
    """HTML rendered already (escaped where it was made), to put into a template as it is."""
    return Markup(html_text)


@functools.cache
def style_sheet(name: str) -> str:
    """A style sheet as the pages carry it: its comments left out (a comment over several
    lines too: dropping only lines that open one left the rest to swallow the next rule), its
    lines joined into one."""
    text = re.sub(r"/\*.*?\*/", "", (TEMPLATES / name).read_text(encoding="utf-8"),
                  flags=re.DOTALL)
    return "".join(text.splitlines())


@functools.cache
def style_text(name: str) -> str:
    """A style sheet as it is written (a brief's, which prints as readable CSS)."""
    return (TEMPLATES / name).read_text(encoding="utf-8")
