"""Sample documents written for the demo bureau, dated from the day the demo is built: this
term's 行事历 (Word table), the year's 工作要点 (Word), its 任务分解表 (Excel) and this month's
工作安排 (PDF). ``eduplan demo`` imports them when no corpus folder is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from eduplan.demo.docs.breakdown_xlsx import breakdown_xlsx
from eduplan.demo.docs.calendar_docx import calendar_docx
from eduplan.demo.docs.dates import month_start, term_around
from eduplan.demo.docs.month_pdf import month_pdf
from eduplan.demo.docs.plan_docx import plan_docx


@dataclass(frozen=True)
class SampleDocument:
    name: str
    data: bytes


def sample_documents(bureau: str, today: date) -> list[SampleDocument]:
    """The four documents, named as a bureau files them; the same day builds the same content."""
    term = term_around(today)
    month = month_start(today)
    year = today.year
    return [
        SampleDocument(f"{bureau}{term.name}教育工作行事历.docx", calendar_docx(bureau, term)),
        SampleDocument(f"{bureau}{year}年教育工作要点.docx", plan_docx(bureau, year, today)),
        SampleDocument(f"{bureau}{year}年重点工作任务分解表.xlsx", breakdown_xlsx(bureau, year)),
        SampleDocument(f"{bureau}{month.year}年{month.month}月工作安排.pdf", month_pdf(bureau, month)),
    ]
