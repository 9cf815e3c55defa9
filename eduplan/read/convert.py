"""Old and WPS Office files (.doc, .wps, .et, an .xls xlrd cannot read) through LibreOffice.

``soffice --headless --convert-to docx|xlsx`` runs in a temporary directory with a
private, throw-away user profile, so conversions never share state with each other or
with a person's LibreOffice; the profile turns macros off and never updates linked
content, so a converted file neither runs code nor fetches anything. A conversion that
takes longer than :data:`TIMEOUT_SECONDS` is killed with its whole process group.
LibreOffice is found at run time as ``soffice`` on PATH; without it the file is refused
with a message saying what to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from eduplan.errors import ReadError

TIMEOUT_SECONDS = 120
"""Longest one conversion may run; LibreOffice's first start with a fresh profile takes a few seconds."""

SOFFICE = "soffice"

_APP = {"docx": ("Word", ".docx"), "xlsx": ("Excel", ".xlsx")}

# Macros off, links never updated when loading (Writer: 2 = never; Calc: 1 = never).
_SETTINGS = (
    ("Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("Writer/Content/Update", "Link", "2"),
    ("Calc/Content/Update", "Link", "1"),
)
_PROFILE_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'
    + "".join(
        f'<item oor:path="/org.openoffice.Office.{path}"><prop oor:name="{prop}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>\n"
        for path, prop, value in _SETTINGS
    )
    + "</oor:items>\n"
)


def soffice_path() -> str | None:
    """LibreOffice's ``soffice`` on PATH, or None."""
    return shutil.which(SOFFICE)


def missing_message(extension: str, target: str) -> str:
    app, new_extension = _APP[target]
    return (
        f"读取 {extension} 文件需要 LibreOffice（soffice），本机未安装；"
        f"请安装 LibreOffice，或用 {app} 另存为 {new_extension} 后再导入。"
    )


def failed_message(extension: str, name: str, target: str) -> str:
    app, new_extension = _APP[target]
    return (
        f"无法转换 {extension} 文件：{name} 可能已损坏或设置了密码；"
        f"请用 {app} 另存为 {new_extension} 后再导入。"
    )


def convert(data: bytes, name: str, extension: str, target: str) -> bytes:
    """The bytes of ``data`` (an ``extension`` file such as ``.doc``) converted to ``target``
    (``docx`` or ``xlsx``) by LibreOffice; ``ReadError`` if soffice is missing or fails."""
    soffice = soffice_path()
    if soffice is None:
        raise ReadError(missing_message(extension, target))
    with tempfile.TemporaryDirectory(prefix="eduplan-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"document{extension}"  # never the uploaded name: it may be anything
        source.write_bytes(data)
        profile = folder / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        out = folder / "out"
        out.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        _run(command, folder, extension, target)
        result = out / f"document.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            raise ReadError(failed_message(extension, name, target))
        return result.read_bytes()


def _environment(home: Path) -> dict[str, str]:
    """A small environment: no proxies, no display, a home inside the temporary folder."""
    keep = {key: os.environ[key] for key in ("PATH", "LANG", "LC_ALL", "TMPDIR") if key in os.environ}
    keep.update({"HOME": str(home), "SAL_USE_VCLPLUGIN": "svp"})
    keep.setdefault("LANG", "C.UTF-8")
    return keep


def _run(command: list[str], folder: Path, extension: str, target: str) -> None:
    process = subprocess.Popen(
        command,
        cwd=folder,
        env=_environment(folder),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: soffice starts soffice.bin as a child
    )
    try:
        process.wait(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as error:
        _kill_group(process)
        app, new_extension = _APP[target]
        raise ReadError(
            f"转换 {extension} 文件超时（{TIMEOUT_SECONDS} 秒）；请用 {app} 另存为 {new_extension} 后再导入。"
        ) from error
    finally:
        _kill_group(process)  # also any helper of the group still running after soffice exits
    # soffice's exit status says little (0 even when the file could not be loaded): the
    # caller judges by the converted file.


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
