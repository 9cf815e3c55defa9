"""Plain text: lines kept one to one with the file's lines."""

from __future__ import annotations

import re

# Line breaks as editors count them: CRLF, LF, or a lone CR.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def text_lines(text: str) -> list[str]:
    """The text's lines, trailing white space stripped; line i+1 is ``lines[i]``.

    No line is dropped or merged, so line numbers match the file. A final line
    break does not start another (empty) line.
    """
    lines = _LINE_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]
