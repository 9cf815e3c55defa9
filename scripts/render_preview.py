"""Render the Excel and Word exports of a demo term and turn them into PNG pages to look at.

    .venv/bin/python scripts/render_preview.py                 # demo calendar → out/preview/
    .venv/bin/python scripts/render_preview.py a.xlsx b.docx   # just convert these files
    .venv/bin/python scripts/render_preview.py --out some/dir

Needs LibreOffice (``soffice``/``libreoffice``) and ``pdftoppm`` (poppler-utils). Without a
Chinese font (``fc-list :lang=zh`` prints nothing) the pages show boxes: install one with
``apt-get install fonts-noto-cjk`` (or ``fonts-wqy-zenhei``) — this script does not install anything.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eduplan.calendar.excel import render_xlsx  # noqa: E402
from eduplan.calendar.model import CalendarDoc, CalendarRow, Week  # noqa: E402
from eduplan.calendar.word import render_docx  # noqa: E402

DEFAULT_OUT = ROOT / "out" / "preview"

# (week number, weekday offset, days, title, text, units, status)
_DEMO_ITEMS = [
    (
        0,
        1,
        3,
        "寒假安全及开学准备工作检查",
        "各校对校舍、食堂、消防设施开展安全隐患排查，建立整改台账。",
        ("安全股", "各学校"),
        "已完成",
    ),
    (0, 4, 1, "召开2024年春季开学工作会议", "", ("办公室",), "已完成"),
    (1, 0, 1, "春季学期开学", "各校按时开学，做好学生报到、教材发放等工作。", ("基教股", "各学校"), "已完成"),
    (
        1,
        2,
        3,
        "开学工作专项督导",
        "督导组深入各校检查开学准备、课程开设和作息时间执行情况。",
        ("督导室",),
        "已完成",
    ),
    (
        2,
        0,
        5,
        "学雷锋志愿服务月活动",
        "3月5日前各校制定活动方案，组织学生开展志愿服务。",
        ("德育股", "团委"),
        "进行中",
    ),
    (2, 3, 1, "全县教育系统党风廉政建设工作会议", "", ("纪检组", "办公室"), "已完成"),
    (
        3,
        0,
        12,
        "义务教育阶段控辍保学核查",
        "逐校核对学籍，建立劝返复学台账，3月底前上报。",
        ("基教股",),
        "已逾期",
    ),
    (3, 2, 1, "中小学生安全教育日主题活动", "组织应急疏散演练，每校不少于一次。", ("安全股",), "进行中"),
    (4, 1, 2, "高三第一次模拟考试", "", ("教研室", "招考办"), "未开始"),
    (5, 0, 1, "清明节前安全教育及文明祭扫", "", ("德育股",), "未开始"),
    (6, 2, 3, "教师资格认定（春季）", "受理网上申报后的现场确认，材料审核。", ("人事股",), "未开始"),
    (7, 0, 5, "全县中小学教学常规检查", "检查备课、作业布置与批改、听评课记录。", ("教研室",), "未开始"),
    (
        7,
        3,
        1,
        '=HYPERLINK("http://example.invalid","点我")',
        "导入文件里的可疑内容，应当原样显示为文字。",
        ("办公室",),
        "未开始",
    ),
    (8, 0, 1, "全民国家安全教育日", "", ("德育股",), "已取消"),
    (9, 1, 2, "期中质量检测", "初三、高三除外；各校于考试后一周内完成质量分析。", ("教研室",), "未开始"),
    (10, 2, 1, "五一劳动节前安全检查", "", ("安全股",), "未开始"),
    (12, 0, 5, "学前教育宣传月", "主题：守护育幼底线，成就美好童年。", ("基教股", "各幼儿园"), "未开始"),
    (13, 3, 1, "全县中小学艺术展演", "", ("体卫艺股",), "未开始"),
    (14, 0, 10, "中考体育考试", "严格执行考务规程，全程录像。", ("招考办", "体卫艺股"), "未开始"),
    (
        15,
        1,
        1,
        "防溺水专项教育",
        "落实“六不准”要求，致家长一封信签收率100%。",
        ("安全股", "各学校"),
        "未开始",
    ),
    (16, 2, 3, "高考考务培训及考点检查", "", ("招考办",), "未开始"),
    (17, 0, 1, "端午节放假安全提醒", "", ("办公室",), "未开始"),
    (18, 0, 3, "中考", "", ("招考办",), "未开始"),
    (19, 1, 1, "期末质量检测", "", ("教研室",), "未开始"),
    (
        20,
        3,
        1,
        "暑假工作安排及学期工作总结",
        "各股室7月5日前报送半年工作总结。",
        ("办公室", "各股室"),
        "未开始",
    ),
]


def demo_doc() -> CalendarDoc:
    """A spring term (2024) with a 预备周, twenty weeks, holidays, adjusted workdays and odd rows."""
    week1 = date(2024, 2, 26)
    weeks = [
        Week(n, week1 + timedelta(weeks=n - 1), week1 + timedelta(weeks=n - 1, days=6)) for n in range(21)
    ]
    holidays = {date(2024, 4, 4) + timedelta(days=i): "清明节" for i in range(3)}
    holidays |= {date(2024, 5, 1) + timedelta(days=i): "劳动节" for i in range(5)}
    holidays[date(2024, 6, 10)] = "端午节"
    workdays = {
        date(2024, 4, 7): "清明节调休",
        date(2024, 4, 28): "劳动节调休",
        date(2024, 5, 11): "劳动节调休",
    }
    rows = []
    for i, (week, offset, days, title, text, units, status) in enumerate(_DEMO_ITEMS):
        start = weeks[week].start + timedelta(days=offset)
        end = start + timedelta(days=days - 1)
        rows.append(
            CalendarRow(
                uid=f"demo-{i}@eduplan",
                title=title,
                text=text,
                start=start,
                end=end,
                units=units,
                office=units[0],
                status=status,
                holiday=holidays.get(start) if days == 1 else None,
            )
        )
    rows.append(
        CalendarRow(
            "demo-x1@eduplan", "督學責任區掛牌督導", "各責任督學每月到校不少於一次。", None, None, ("督导室",)
        )
    )
    rows.append(CalendarRow("demo-x2@eduplan", "校园周边环境整治", "", None, None, ("安全股", "综治办")))
    return CalendarDoc(
        title="某县教育局2023—2024学年度第二学期教育工作行事历",
        calname="某县教育局行事历",
        rows=rows,
        weeks=weeks,
        holidays=holidays,
        workdays=workdays,
        generated=datetime(2024, 2, 20, 8, 0, tzinfo=UTC),
    )


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def to_pngs(path: Path, out: Path, soffice: str) -> list[Path]:
    """Convert one office file to PDF with LibreOffice, then to PNG pages with pdftoppm."""
    with tempfile.TemporaryDirectory() as profile:
        # A private profile: a LibreOffice already running for someone else does not interfere.
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out), str(path)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    pdf = out / (path.stem + ".pdf")
    for old in out.glob(f"{path.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(out / path.stem)], check=True, timeout=120)
    return sorted(out.glob(f"{path.stem}-*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help=".xlsx/.docx files to convert (default: demo)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    files: list[Path] = list(args.files)
    if not files:
        doc = demo_doc()
        renders = {
            "xingshili.xlsx": lambda: render_xlsx(doc, by_office=True),
            "xingshili-week.docx": lambda: render_docx(doc, layout="week"),
            "anpai-month.docx": lambda: render_docx(doc, layout="month"),
        }
        for name, render in renders.items():
            started = time.perf_counter()
            data = render()
            print(f"{name}: {len(data):,} bytes in {(time.perf_counter() - started) * 1000:.0f} ms")
            (out / name).write_bytes(data)
            files.append(out / name)

    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip()
    if not fonts:
        print("没有中文字体，预览里的汉字会显示成方框：apt-get install fonts-noto-cjk（或 fonts-wqy-zenhei）")
    soffice = find_soffice()
    if soffice is None or shutil.which("pdftoppm") is None:
        print("需要 LibreOffice（soffice）和 pdftoppm（poppler-utils）才能生成预览图；文件已写在", out)
        return 1
    for path in files:
        for png in to_pngs(path, out, soffice):
            print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
