"""Language data for term events stated in a calendar's prose (第一学期于9月1日开学,…放寒假).

Folded (simplified) forms. Pure data: what ``termprose`` looks for after a clause's date.
"""

from __future__ import annotations

#: What a term's dated clause says happens on its day: the term opens or closes, pupils report,
#: a vacation begins, examinations are held. A clause needs one of these after its date.
TERM_EVENT_WORDS: tuple[str, ...] = (
    "开学",
    "报到",
    "报名",
    "注册",
    "上课",
    "复课",
    "返校",
    "离校",
    "放寒假",
    "放暑假",
    "放假",
    "考试",
    "结束",
    "结业",
    "毕业",
    "开课",
    "停课",
)
