"""The sample year's 工作要点 as a Word document: guiding paragraphs, goals with their figures in
the text, and numbered measures under （一）… headings, each ending with its （责任股室：…）."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from eduplan.demo.docs.calendar_docx import set_font

GUIDANCE = (
    "一、指导思想",
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，落实立德树人根本任务，"
    "以办好人民满意的教育为目标，以提高教育质量为核心，统筹推进学前教育、义务教育、普通高中教育协调发展，"
    "为建设教育强县打下坚实基础。",
    "二、工作目标",
    "{year}年，全县学前三年毛入园率达到92%以上，义务教育巩固率保持在99%以上，高中阶段毛入学率达到95%，"
    "普惠性幼儿园覆盖率达到90%，中小学生体质健康测试合格率不低于93%，校园安全责任事故零发生。",
    "三、重点工作",
)

SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "（一）加强党的建设和师德师风建设",
        (
            ("深入推进全面从严治党。落实党组主体责任，全年召开党风廉政建设专题会议不少于4次。", "办公室"),
            (
                "加强师德师风建设。3月底前完成全县教师师德承诺书签订，开展师德专题教育，"
                "对有偿补课、体罚学生等问题实行“零容忍”。",
                "人事股",
            ),
        ),
    ),
    (
        "（二）推进学前教育普及普惠",
        (
            (
                "扩大普惠性学前教育资源。新建、改扩建公办幼儿园3所，秋季开学前投入使用，新增学位540个。",
                "基教股",
            ),
            ("规范幼儿园办园行为。上半年完成全县幼儿园年检，坚决纠正“小学化”倾向。", "基教股"),
        ),
    ),
    (
        "（三）促进义务教育优质均衡发展",
        (
            (
                "巩固“双减”工作成果。每学期开展作业管理和课后服务专项检查，课后服务学校覆盖率保持100%。",
                "基教股、教研室",
            ),
            (
                "做好控辍保学工作。春季、秋季开学后两周内完成学籍核查，建立劝返复学台账，"
                "确保适龄儿童少年无失学辍学。",
                "基教股",
            ),
            ("规范义务教育招生。5月底前公布学区划分和招生方案，严格落实免试就近入学。", "基教股"),
        ),
    ),
    (
        "（四）提升教育教学质量",
        (
            (
                "深化课堂教学改革。上半年、下半年各组织一次全县优质课评比，评选县级优秀课例100节。",
                "教研室",
            ),
            ("加强教学质量监测。组织期中、期末质量检测和质量分析，6月底前完成初中学业水平考试。", "教研室"),
            ("做好高考、中考组织工作。6月上旬完成考点设置和考务培训，确保考试安全平稳。", "基教股、办公室"),
        ),
    ),
    (
        "（五）建设高素质专业化教师队伍",
        (
            ("实施教师全员培训。全年培训教师2000人次以上，乡村教师培训不少于600人次。", "师训股"),
            ("补充配齐教师。8月底前完成新教师公开招聘80名，优先补充乡村学校和紧缺学科。", "人事股"),
            ("做好职称评审工作。11月底前完成中小学教师职称评审推荐。", "人事股"),
        ),
    ),
    (
        "（六）守牢校园安全底线",
        (
            ("开展校园安全隐患排查整治。每月开展一次安全隐患排查，隐患整改率达到100%。", "安全股"),
            ("加强防溺水工作。5月至9月开展防溺水专项行动，确保学生溺亡事故零发生。", "安全股"),
            (
                "保障校园食品安全。春季、秋季各开展一次校园食品安全专项检查，学校食堂“明厨亮灶”覆盖率100%。",
                "安全股",
            ),
        ),
    ),
    (
        "（七）强化教育督导",
        (
            ("落实责任督学挂牌督导。责任督学每月到校督导不少于1次，全年形成督导报告12期。", "督导室"),
            ("开展年度综合督导评估。12月底前完成对全县中小学校的年度综合督导评估。", "督导室"),
        ),
    ),
)

CLOSING = (
    "四、工作要求",
    "各股室、各学校要对照本要点，细化工作措施，明确责任人和完成时限，确保各项工作落到实处。"
    "局办公室、督导室要加强督查督办，定期通报工作进展。",
)


def issue_date(year: int, today: date) -> date:
    """When the sample says it was issued: mid-January, or today when that is earlier."""
    return max(date(year, 1, 5), min(date(year, 1, 15), today))


def plan_docx(bureau: str, year: int, today: date) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(title.add_run(f"{bureau}{year}年教育工作要点"), 18, bold=True, face="黑体")
    body = [line.format(year=year) for line in GUIDANCE]
    for line in body:
        paragraph = document.add_paragraph()
        set_font(paragraph.add_run(line), 14, bold=line.startswith(("一、", "二、", "三、")), face="仿宋")
    number = 0
    for heading, measures in SECTIONS:
        set_font(document.add_paragraph().add_run(heading), 14, bold=True, face="楷体")
        for text, offices in measures:
            number += 1
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(28)
            set_font(paragraph.add_run(f"{number}.{text}（责任股室：{offices}）"), 14, face="仿宋")
    for line in CLOSING:
        paragraph = document.add_paragraph()
        set_font(paragraph.add_run(line), 14, bold=line.startswith("四、"), face="仿宋")
    issued = issue_date(year, today)
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_font(signature.add_run(f"{bureau}\n{issued.year}年{issued.month}月{issued.day}日"), 14, face="仿宋")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
