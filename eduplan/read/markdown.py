"""Markdown (.md): text lines as in a text file, HTML blocks read by the HTML reader.

Markdown is text, so its lines stay one to one with the file (empty ones too) wherever
it holds no HTML: heading, quote and emphasis marks are taken off, a link keeps its
text, and a ``---`` rule becomes an empty line. An HTML block (CommonMark's rule, found
by markdown-it; one that leaves a ``<table>``, ``<div>`` … open runs on to where it
closes, blank lines and all) is read by the HTML reader, so an HTML ``<table>`` gives
its rows as cell lines with ``rowspan`` cells empty and ``<br>`` lines as sub-lines.
Inline HTML in a text line is reduced to its text, a ``<br>`` ending a line. Pipe
tables (``| a | b |``) stay text lines.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

from eduplan.read.html import html_lines
from eduplan.read.txt import text_lines

# Elements whose end tag HTML requires: an HTML block leaving one open continues.
_CONTAINERS = (
    "table",
    "div",
    "style",
    "script",
    "textarea",
    "pre",
    "section",
    "article",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "details",
    "figure",
)
_OPEN = re.compile(r"<(" + "|".join(_CONTAINERS) + r")\b[^>]*?(?<!/)>", re.IGNORECASE)
_CLOSE = re.compile(r"</(" + "|".join(_CONTAINERS) + r")\s*>", re.IGNORECASE)

_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_OR_RULE = re.compile(r"^ {0,3}(?:=+|-{3,}|\*{3,}|_{3,}|(?:[-*_][ \t]*){3,})[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_INLINE_TAGS = (
    "a|abbr|b|big|code|del|em|font|i|img|ins|kbd|mark|q|s|samp|small|span|strike|strong|sub|sup|u|var"
)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?(?:" + _INLINE_TAGS + r")\b[^<>]*>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

_PARSER = MarkdownIt("commonmark")


def _html_blocks(text: str, line_count: int) -> list[tuple[int, int]]:
    """Line ranges ``[start, end)`` of the HTML blocks, open containers run on."""
    blocks = [
        (token.map[0], token.map[1])
        for token in _PARSER.parse(text)
        if token.type == "html_block" and token.map is not None
    ]
    lines = text_lines(text)
    merged: list[tuple[int, int]] = []
    depth = 0
    for start, end in blocks:
        end = min(end, line_count)
        chunk = "\n".join(lines[start:end])
        if merged and depth > 0:  # the previous block left an element open
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
            depth = 0
        depth = max(depth + len(_OPEN.findall(chunk)) - len(_CLOSE.findall(chunk)), 0)
    return merged


def _inline_text(line: str) -> list[str]:
    """A text line as read: Markdown marks off, inline HTML reduced, ``<br>`` splitting it."""
    if _SETEXT_OR_RULE.match(line):
        return [""]
    heading = _HEADING.match(line)
    if heading:
        line = heading.group(1)
    line = _QUOTE.sub("", line)
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _STRONG.sub(r"\2", line)
    if "<" in line:
        parts = [_INLINE_TAG.sub("", part) for part in _BR.split(line)]
    else:
        parts = [line]
    if "&" in line:
        parts = [_ENTITY.sub(lambda m: html.unescape(m.group()), part) for part in parts]
    return [part.rstrip() for part in parts]


def markdown_lines(text: str) -> list[str]:
    """Lines of a Markdown document (see the module docstring)."""
    lines = text_lines(text)
    out: list[str] = []
    position = 0
    for start, end in _html_blocks(text, len(lines)):
        for line in lines[position:start]:
            out.extend(_inline_text(line))
        out.extend(html_lines("\n".join(lines[start:end])))
        position = end
    for line in lines[position:]:
        out.extend(_inline_text(line))
    return out
