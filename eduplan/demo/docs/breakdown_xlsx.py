"""The sample 重点工作任务分解表 as an Excel workbook: a merged title row, then 序号 | 重点任务 |
具体措施 | 牵头股室 | 配合单位 | 完成时限, one task a row, as offices pass it round."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.page import PageMargins

HEADER = ("序号", "重点任务", "具体措施", "牵头股室", "配合单位", "完成时限")
WIDTHS = (6, 22, 52, 12, 14, 18)
TASKS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "师德师风专项整治",
        "完成全县教师师德承诺书签订，开展有偿补课专项治理",
        "人事股",
        "各学校",
        "{year}年3月底前",
    ),
    ("幼儿园年检", "对全县公办、民办幼儿园开展年检，纠正“小学化”倾向", "基教股", "督导室", "{year}年6月底前"),
    ("义务教育招生", "公布学区划分和招生方案，落实免试就近入学", "基教股", "各学校", "{year}年5月底前"),
    ("初中学业水平考试", "组织命题、考务培训、考试和阅卷", "教研室", "基教股、办公室", "{year}年6月底前"),
    ("新教师公开招聘", "招聘新教师80名，优先补充乡村学校和紧缺学科", "人事股", "师训股", "{year}年8月底前"),
    ("公办幼儿园建设", "新建、改扩建公办幼儿园3所，新增学位540个", "基教股", "办公室", "{year}年秋季开学前"),
    ("防溺水专项行动", "落实“六不”要求，开展家访和重点水域巡查", "安全股", "各学校", "{year}年5月至9月"),
    (
        "校园食品安全检查",
        "春季、秋季各开展一次专项检查，推进“明厨亮灶”",
        "安全股",
        "各学校",
        "{year}年10月底前",
    ),
    ("教师职称评审", "完成中小学教师职称评审推荐和公示", "人事股", "各学校", "{year}年11月底前"),
    (
        "教师全员培训",
        "全年培训教师2000人次以上，其中乡村教师不少于600人次",
        "师训股",
        "教研室",
        "{year}年12月底前",
    ),
    (
        "年度综合督导评估",
        "对全县中小学校开展年度综合督导评估，形成评估报告",
        "督导室",
        "各股室",
        "{year}年12月底前",
    ),
    (
        "年度工作总结",
        "各股室、各学校报送年度工作总结和下年度工作思路",
        "办公室",
        "各股室、各学校",
        "{year}年12月25日前",
    ),
)


def breakdown_xlsx(bureau: str, year: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "任务分解"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.cell(1, 1, f"{bureau}{year}年重点工作任务分解表").font = Font(name="黑体", size=16, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32
    for column, (name, width) in enumerate(zip(HEADER, WIDTHS, strict=True), 1):
        cell = sheet.cell(2, column, name)
        cell.font, cell.border = Font(name="宋体", size=11, bold=True), border
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[cell.column_letter].width = width
    for number, task in enumerate(TASKS, 1):
        values = (number, *task[:4], task[4].format(year=year))
        for column, value in enumerate(values, 1):
            cell = sheet.cell(number + 2, column, value)
            cell.font, cell.border, cell.alignment = Font(name="宋体", size=11), border, wrap
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_margins = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    # A fixed creation time, so the same year's table is the same file on every build.
    book.properties.created = book.properties.modified = datetime(year, 1, 10, 9, 0)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
