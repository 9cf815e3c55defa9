"""Case tables for quantified targets (one sentence per row, answers worked out by hand).

A row lists every target the sentence must yield, in order, as
``(indicator substring, op, value, unit)``; the indicator substring must occur in the
predicted indicator. Rows from the dev corpus are marked ``# corpus``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.plan import Target
from eduplan.text import fold
from eduplan.understand.targets import find_targets

Expect = tuple[str, str, float, str | None]


def targets_of(text: str) -> list[Target]:
    lines = text.split("\n")
    return find_targets(lines, [fold(s) for s in lines])


POSITIVE: list[tuple[str, list[Expect]]] = [
    # rates that must be reached
    (  # corpus
        "实现学前三年幼儿入园率达到88.4%,学前一年幼儿入园率达到100%;",
        [("学前三年幼儿入园率", ">=", 88.4, "%"), ("学前一年幼儿入园率", ">=", 100, "%")],
    ),
    ("提升义务教育均衡发展水平,义务教育巩固率达96.99%;", [("义务教育巩固率", ">=", 96.99, "%")]),  # corpus
    ("确保残疾儿童入学率达93%以上。", [("残疾儿童入学率", ">=", 93, "%")]),  # corpus
    (  # corpus
        "确保2019年全县适龄残疾儿童少年入学率分别达到93%。",
        [("适龄残疾儿童少年入学率", ">=", 93, "%")],
    ),
    ("加大高中阶段教育招生力度,毛入学率稳定在94%以上。", [("毛入学率", ">=", 94, "%")]),  # corpus
    ("力争高考本科录取人数达实际参考人数55%以上。", [("高考本科录取人数", ">=", 55, "%")]),  # corpus
    ("保證在校學生受教育率達100%。", [("在校學生受教育率", ">=", 100, "%")]),  # corpus, traditional
    ("通过定期定点开展研训活动,保证学科教师100%的参训率。", [("参训率", ">=", 100, "%")]),  # corpus
    ("体质健康测试合格率达95%以上,优秀率不低于20%。", [("合格率", ">=", 95, "%"), ("优秀率", ">=", 20, "%")]),
    ("确保中小学校园监控覆盖率达100%。", [("监控覆盖率", ">=", 100, "%")]),
    ("教师培训经费不低于公用经费的5%。", [("教师培训经费", ">=", 5, "%")]),
    ("高考二本上线人数突破1000人。", [("高考二本上线人数", ">", 1000, "人")]),  # 突破 = exceed
    ("培训中小学教师3000人次以上。", [("中小学教师", ">=", 3000, "人次")]),
    ("各学校每学期开展应急疏散演练不少于2次。", [("应急疏散演练", ">=", 2, "次")]),
    # stay under
    ("辍学率控制在0.5%以内。", [("辍学率", "<=", 0.5, "%")]),
    (
        "辍学率控制在0.6%以下,巩固率达96%。",
        [("辍学率", "<=", 0.6, "%"), ("巩固率", ">=", 96, "%")],
    ),
    ("班额控制在45人以内,大班额比例低于5%。", [("班额", "<=", 45, "人"), ("大班额比例", "<", 5, "%")]),
    ("小学起始年级每班不超过45人。", [("每班", "<=", 45, "人")]),
    ("中小学生近视率年均降至40%。", [("近视率", "<=", 40, "%")]),
    ("课外培训机构违规率高于3%的要重点整治。", [("违规率", ">", 3, "%")]),
    # counts and amounts the plan commits to
    ("推进10个基层党建示范点建设,", [("基层党建示范点", "=", 10, "个")]),  # corpus
    (  # corpus
        "开工建设独山小学幼儿园、社冲洛文小学等32所乡村幼儿园新建、改扩建项目。",
        [("乡村幼儿园新建、改扩建项目", "=", 32, "所")],
    ),
    (  # corpus
        "按6000元/生·年标准落实特殊教育生均公用经费,",
        [("特殊教育生均公用经费", "=", 6000, "元/生·年")],
    ),
    ("加强信息装备建设,计划投入726.5万元,购置多媒体。", [("信息装备建设", "=", 726.5, "万元")]),  # corpus
    (
        "开工建设冲脉中心校学生宿舍楼等 39个新建或改扩建项目。",
        [("新建或改扩建项目", "=", 39, "个")],
    ),  # corpus
    (  # corpus
        "完成6所学校标准化建设任务,22所学校运动场提质升级工程,启动一中扩容工程。",
        [("学校标准化建设任务", "=", 6, "所"), ("学校运动场提质升级工程", "=", 22, "所")],
    ),
    ("实施方家屯中心幼儿园等4所公办幼儿园扩容工程。", [("公办幼儿园扩容工程", "=", 4, "所")]),  # corpus
    ("年内新建标准化食堂(6所)。", [("标准化食堂", "=", 6, "所")]),  # a goal verb governs the bracket
    ("新建、改扩建幼儿园5所,新增学位1200个。", [("幼儿园", "=", 5, "所"), ("学位", "=", 1200, "个")]),
    (
        "力争创建省级示范幼儿园2所,市级示范幼儿园3所。",
        [("省级示范幼儿园", "=", 2, "所"), ("市级示范幼儿园", "=", 3, "所")],
    ),
    (
        "全年计划资助家庭经济困难学生5000人次,发放资助资金800万元。",
        [("家庭经济困难学生", "=", 5000, "人次"), ("资助资金", "=", 800, "万元")],
    ),
    ("招聘教师200名,其中特岗教师120名。", [("教师", "=", 200, "名"), ("特岗教师", "=", 120, "名")]),
    ("計劃投資1.5億元,建成三所標準化學校。", [("投資", "=", 1.5, "億元"), ("標準化學校", "=", 3, "所")]),
    ("城区新建两所小学。", [("小学", "=", 2, "所")]),
    ("举办校长论坛4期,开展送教下乡活动20次。", [("校长论坛", "=", 4, "期"), ("送教下乡活动", "=", 20, "次")]),
    ("推进“互联网+教育”,建设智慧校园50所。", [("智慧校园", "=", 50, "所")]),
    ("组织全县1.2万名学生参加体质健康测试。", [("学生", "=", 1.2, "万名")]),
    ("学生近视率每年降低1个百分点。", [("近视率", "=", 1, "个百分点")]),
    ("遴选200名骨干教师参加国培计划。", [("骨干教师", "=", 200, "名")]),
    (
        "内部选树校级师德标兵(原则上1%的比例,不足百人的学校可评选1人)",
        [("校级师德标兵", "=", 1, "%")],
    ),  # corpus
    # about
    (  # corpus
        "擬評選表彰先進個人400名左右、先進集體60個左右。",
        [("先進個人", "~", 400, "名"), ("先進集體", "~", 60, "個")],
    ),
    (  # corpus
        "拟评选表彰中小学优秀德育工作者170名左右、优秀班主任170名左右、先进班集体300个左右。",
        [("优秀德育工作者", "~", 170, "名"), ("优秀班主任", "~", 170, "名"), ("先进班集体", "~", 300, "个")],
    ),
    ("县财政安排教育经费约3.2亿元。", [("教育经费", "~", 3.2, "亿元")]),
    ("普通话水平测试人数达到2000人左右。", [("普通话水平测试人数", "~", 2000, "人")]),
    ("全年计划培训乡村教师500余名。", [("乡村教师", "~", 500, "名")]),
    ("力争优质课覆盖率达到百分之九十。", [("优质课覆盖率", ">=", 90, "%")]),
    ("新增公办学位1,200个。", [("公办学位", "=", 1200, "个")]),
    ("批准正式民办幼儿园10所,试办园38所。", [("正式民办幼儿园", "=", 10, "所"), ("试办园", "=", 38, "所")]),
    ("设立7 559个保教班。", [("保教班", "=", 7559, "个")]),
    ("各区、县(市)至少办1所早教中心。", [("早教中心", ">=", 1, "所")]),
    (
        "三年内新建、改扩建公办幼儿园56所,其中新建22所。",
        [("公办幼儿园", "=", 56, "所"), ("新建", "=", 22, "所")],
    ),
    ("下达义务教育学校公用经费补助资金1234.56万元。", [("公用经费补助资金", "=", 1234.56, "万元")]),
]

# One table per rule of issue 10 point 7; sentences written for the rule, not copied.
NEGATED: list[tuple[str, list[Expect]]] = [
    ("中小学生体质健康优良率不低于55%。", [("体质健康优良率", ">=", 55, "%")]),
    ("每所学校专职心理教师不少于2名。", [("专职心理教师", ">=", 2, "名")]),
    ("作业总量不高于每天90分钟的要求,课后服务覆盖率不低于98%。", [("课后服务覆盖率", ">=", 98, "%")]),
    ("生均校舍面积不小于8平方米。", [("生均校舍面积", ">=", 8, "平方米")]),
    ("新招聘教师中非师范类比例不超过20%。", [("非师范类比例", "<=", 20, "%")]),
    ("乡村学校教师流失率不高于3%。", [("教师流失率", "<=", 3, "%")]),
    ("幼儿园班额不多于35人。", [("幼儿园班额", "<=", 35, "人")]),
]

SIGNS: list[tuple[str, list[Expect]]] = [
    ("学生近视防控达标率≥80%。", [("近视防控达标率", ">=", 80, "%")]),
    ("教师信息素养测评合格率 ≥ 90%", [("信息素养测评合格率", ">=", 90, "%")]),
    ("食品安全事故发生率≤0.1%,", [("食品安全事故发生率", "<=", 0.1, "%")]),
    ("校车超员率＜1%。", [("校车超员率", "<", 1, "%")]),
    ("县域内义务教育学校校际差异系数＞0.5的学校清零。", [("校际差异系数", ">", 0.5, None)]),
    ("特殊教育学生人均公用经费＝6000元。", [("特殊教育学生人均公用经费", "=", 6000, "元")]),
    ("督导评估得分≧85分。", [("督导评估得分", ">=", 85, "分")]),
]

OPERATOR_WORDS: list[tuple[str, list[Expect]]] = [
    ("高中阶段毛入学率达到97%以上。", [("高中阶段毛入学率", ">=", 97, "%")]),
    ("学前教育普惠率达90%。", [("学前教育普惠率", ">=", 90, "%")]),
    ("城区小学班额控制在45人以内。", [("城区小学班额", "<=", 45, "人")]),
    ("义务教育辍学率控制在0.2%以下。", [("义务教育辍学率", "<=", 0.2, "%")]),
    ("完成中小学教师全员轮训6000人次左右。", [("中小学教师全员轮训", "~", 6000, "人次")]),
    ("全年接待研学学生约2万人次。", [("研学学生", "~", 2, "万人次")]),
    ("省级优质课获奖数超过30节。", [("省级优质课获奖数", ">", 30, "节")]),
    ("力争中考总均分突破500分。", [("中考总均分", ">", 500, "分")]),
    ("高考本科上线人数力争破800人。", [("高考本科上线人数", ">", 800, "人")]),
    ("一本院校录取率争破15%。", [("一本院校录取率", ">", 15, "%")]),
]

LINKS: list[tuple[str, list[Expect]]] = [
    ("2025年目标:学前教育毛入园率为95%。", [("学前教育毛入园率", "=", 95, "%")]),
    ("力争公办园在园幼儿占比为55%。", [("公办园在园幼儿", "=", 55, "%")]),
    ("到2027年,骨干教师占专任教师总数的30%。", [("骨干教师", "=", 30, "%")]),
    ("学校安全经费按照不低于生均公用经费的3%列支。", [("学校安全经费", ">=", 3, "%")]),
    ("随班就读学生巩固率稳定在95%以上。", [("随班就读学生巩固率", ">=", 95, "%")]),
    ("适龄儿童入学率保持在100%。", [("适龄儿童入学率", ">=", 100, "%")]),
    ("家长满意度在90以上。", [("家长满意度", ">=", 90, None)]),  # the % sign lost by the page
]

RESPECTIVELY: list[tuple[str, list[Expect]]] = [
    (  # each value with its own label; 达 inside 达标率 is part of the name, not a comparison
        "教师信息技术应用能力测评达标率分别为:城区98%、农村96%。",
        [("测评达标率", "=", 98, "%"), ("测评达标率", "=", 96, "%")],
    ),
    (
        "城区、农村幼儿园保教质量达标率分别达到95%、85%。",
        [("城区幼儿园保教质量达标率", ">=", 95, "%"), ("农村幼儿园保教质量达标率", ">=", 85, "%")],
    ),
    (
        "小学、初中、高中体育课开齐率分别达100%、100%和98%。",
        [
            ("小学体育课开齐率", ">=", 100, "%"),
            ("初中体育课开齐率", ">=", 100, "%"),
            ("高中体育课开齐率", ">=", 98, "%"),
        ],
    ),
    (
        "两类学校的大班额比例分别控制在5%、3%以内。",
        [("大班额比例", "<=", 5, "%"), ("大班额比例", "<=", 3, "%")],
    ),
]

CHANGES_AND_UNITS: list[tuple[str, list[Expect]]] = [
    ("学生体质健康优秀率提升2个百分点。", [("学生体质健康优秀率", "=", 2, "个百分点")]),
    ("中小学生近视率每年下降0.5个百分点以上。", [("中小学生近视率", ">=", 0.5, "个百分点")]),
    ("新生儿出生缺陷发生率控制在5‰以内。", [("出生缺陷发生率", "<=", 5, "‰")]),
    ("辍学率低于1‰。", [("辍学率", "<", 1, "‰")]),
    (
        "理科实验开出率提高5个百分点,力争达到95%以上。",
        [("理科实验开出率", "=", 5, "个百分点"), ("理科实验开出率", ">=", 95, "%")],
    ),
    ("省示范高中保2争3。", [("省示范高中", ">=", 2, None), ("省示范高中", ">=", 3, None)]),
]

RULES = NEGATED + SIGNS + OPERATOR_WORDS + LINKS + RESPECTIVELY + CHANGES_AND_UNITS

# Progress figures and page clutter: none of these is a goal.
CLUTTER: list[str] = [
    "今年已完成校舍维修工程18项。",
    "全年累计培训教师3500人次。",
    "本学期社团活动共开展40次。",
    "全县共评选出优秀教师12名。",
    "第1页 共5页",
    "浏览次数:2356  发布时间:2023-04-12",
    "阅读量 1024",
    "咨询电话:0591-88886666",
    "闽教基〔2023〕15号",
    "举办第八届中小学生艺术节。",
    "2024年度",
    "计划组织家访**次,覆盖**户。",
    "上午8:30在会议室召开。",
    "讲座面向全体家长(共3场)。",
    "县教育局2022年工作总结\n按计划完成校舍改造12所,超额完成目标任务新建幼儿园3所。",
    "3/12\t植树节活动\t六年级(2个班)",
    "目前全县小学入学率为99.8%。",
    "县财政每年有800万元奖补资金用于教师培训。",
    "当前义务教育巩固率为98%。",
    "受生源变化影响,小学一年级新生下降1200人。",  # a count's change with no goal word
    "我县进城务工人员随迁子女占在校生总数的21%。",  # a share stated, no goal in sight
    "全区初中生近视率为58%,比上年下降1.5个百分点。",
]

TABLES: list[tuple[list[str], list[Expect]]] = [
    (
        ["二、主要目标", "学校\t巩固率(%)", "一中\t99", "二中\t98"],
        [("一中巩固率", "=", 99, "%"), ("二中巩固率", "=", 98, "%")],
    ),
    (
        ["年度目标任务", "项目\t目标值", "优质课覆盖率\t≥85%", "改造薄弱学校\t6所"],
        [("优质课覆盖率", ">=", 85, "%"), ("改造薄弱学校", "=", 6, "所")],
    ),
    (
        ["心理健康教育普及率\t达到100%\t德育股"],
        [("心理健康教育普及率", ">=", 100, "%")],
    ),  # label in the cell before
    (  # a progress column after the goal reports, it does not undo the goal
        ["序号\t任务\t责任单位\t进展情况", "1\t高中毛入学率达到96%\t基教股\t已完成95%"],
        [("高中毛入学率", ">=", 96, "%")],
    ),
    (
        ["指标\t目标值(%)", "巩固率\t99", "", "新建学校\t5"],
        [("巩固率", "=", 99, "%")],
    ),  # a blank line ends it
    (
        [
            "主要发展指标",
            "指标\t2022年现状\t2025年目标",
            "学前三年毛入园率(%)\t91\t≥95",
            "新建公办幼儿园(所)\t2\t8",
        ],
        [("学前三年毛入园率", ">=", 95, "%"), ("新建公办幼儿园", "=", 8, "所")],
    ),
    (
        ["| 项目 | 目标值(%) |", "|---|---|", "| 巩固率 | 99 |", "| 普及率 | 98.5 |"],
        [("巩固率", "=", 99, "%"), ("普及率", "=", 98.5, "%")],
    ),
    (
        ["各校目标任务", "学校\t升学率(%)\t优秀率(%)", "一中\t98\t30", "二中\t95\t≥25"],
        [
            ("一中升学率", "=", 98, "%"),
            ("一中优秀率", "=", 30, "%"),
            ("二中升学率", "=", 95, "%"),
            ("二中优秀率", ">=", 25, "%"),
        ],
    ),
    (  # two years and no goal header: the later year is the goal
        ["规划指标", "指标\t2023年\t2026年", "义务教育巩固率(%)\t97\t99"],
        [("义务教育巩固率", "=", 99, "%")],
    ),
]

TABLES_NOT_TARGETS: list[list[str]] = [
    [
        "县教育局2023年工作总结",
        "主要指标\t2022年\t2023年",
        "义务教育巩固率(%)\t98\t99",
    ],  # a summary's results
    ["学校\t巩固率(%)\t入学率(%)", "一中\t98\t100", "二中\t97\t100"],  # values reported, no goal anywhere
    ["周次\t日期\t内容", "1\t2.20\t开学典礼", "2\t2.27\t升旗仪式"],
]

NEGATIVE: list[str] = [
    # work already done, present state
    "2019年,全县共有各级各类学校156所,教职工5230人。",
    "去年我县高考本科上线1200人,上线率达45.6%。",
    "2020年,我局完成了12所学校的改造,投入资金3000万元。",
    "今年上半年,全县已新建幼儿园8所。",
    "截至目前,已完成投资1.2亿元。",
    "全县有留守儿童5600余名,其中义务教育阶段4800名。",
    "利用市教育系统在我县设立的10个名师工作室的优质资源。",  # corpus
    "服务期满特岗教师任职考核组织进行2018年招聘的36名特岗教师任职考核",  # corpus
    "县教育局下设12个股室,管理学校98所。",
    "充分利用城区四所初中学校优势,促进教育优势资源互补共享。",  # corpus
    # dates, durations, ordinals, codes, names, versions
    "2021年9月1日正式开学,共20周。",
    "3月15日-3月20日进行第一轮复习,第2周进行月考。",
    "坚持每天锻炼1小时,保证中小学生每天睡眠时间10小时。",
    "开展第31个全国助残日活动",  # corpus
    "积极开展第24届“新时代好少年”读书活动。",  # corpus
    "实施教育信息化2.0行动计划,打造5G智慧课堂。",
    "完成“十四五”教育发展规划编制,召开第三届教育年会。",
    "按照《关于做好2021年春季学期开学工作的通知》(x教发〔2021〕12号)要求执行。",
    "落实《2020年湖南省义务教育教师工资待遇落实情况专项督导工作方案》(湘教督通〔2020〕1 号)",  # corpus
    "联系电话:0734-5221234。",
    "发布时间:2021-06-25 16:08 信息来源:新晃县教育局",  # corpus
    "全县60周岁以上退休教师320人。",
    "组织幼儿园教师认真学习《3-6岁儿童学习与发展指南》。",
    "紧扣建党100周年重大主线,大力开展宣传。",  # corpus
    "深入开展“三个一”活动,落实“五项管理”规定。",
    "重点实施“七大行动”,加强中小学“三类”残疾儿童随班就读。",  # corpus
    "精讲精练向课堂40分钟要质量,努力完成教学要求。",  # corpus
    # per-head rules, conditions, structure, web junk
    "组织全市义务阶段学校写字课程教师(每校1名)集中培训10天。",  # corpus
    "本次培训共分为3个阶段,约需4个月。",
    "中考总分750分,体育考试50分。",
    "城区学校大班额全部消除,56人以上大班额逐步减少。",
    "学员遴选四个学段、十二个学科、十五个工作坊学员",  # corpus
    "以下是小编为大家整理的教育局年度工作计划8篇,希望对大家有所帮助。",  # corpus
    "教育局年度工作计划3篇04-10",  # corpus
    "办好一到两个短期进修班,解决实施新课程中的紧迫问题。",  # corpus
    "组织一次中小学学生心理健康教育专题讲座。",  # corpus
    "1.加强党的基层组织建设。",
    "要求最低每半月更新一次。",  # corpus
    "2016年,全市共有独立幼儿园99所,比2010年增加32所;",
    "“十二五”期间,中央和省投入学前教育专项资金50.31亿元,完成了第一期学前教育三年行动计划。",
    "全市普惠性幼儿园覆盖率63%;",
    "该《意见》分指导思想、建设目标、主要任务、工作措施4部分。",
    "为学校配置了5300多万元的实验仪器。",
    "",
]


def _check(found: list[Target], expected: list[Expect], sentence: str, line: int = 1) -> None:
    got = [(t.indicator, t.op, t.value, t.unit) for t in found]
    assert len(found) == len(expected), f"{sentence}: {got}"
    for t, (ind, op, value, unit) in zip(found, expected, strict=True):
        assert ind in t.indicator, f"{sentence}: indicator {t.indicator!r} lacks {ind!r}"
        assert (t.op, t.value, t.unit) == (op, value, unit), f"{sentence}: {got}"
        if line:
            assert t.line == line
            assert t.text and t.text in sentence


@pytest.mark.parametrize(("sentence", "expected"), POSITIVE, ids=[s[:16] for s, _ in POSITIVE])
def test_positive(sentence: str, expected: list[Expect]) -> None:
    _check(targets_of(sentence), expected, sentence)


@pytest.mark.parametrize("sentence", NEGATIVE, ids=[s[:16] or "empty" for s in NEGATIVE])
def test_negative(sentence: str) -> None:
    assert targets_of(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), RULES, ids=[s[:16] for s, _ in RULES])
def test_rules(sentence: str, expected: list[Expect]) -> None:
    _check(targets_of(sentence), expected, sentence)


@pytest.mark.parametrize("sentence", CLUTTER, ids=[s[:16] for s in CLUTTER])
def test_clutter_is_no_target(sentence: str) -> None:
    assert targets_of(sentence) == []


@pytest.mark.parametrize(("rows", "expected"), TABLES, ids=[r[0][:12] for r, _ in TABLES])
def test_table_header_units(rows: list[str], expected: list[Expect]) -> None:
    found = find_targets(rows, [fold(s) for s in rows])
    _check(found, expected, "\n".join(rows), line=0)


@pytest.mark.parametrize("rows", TABLES_NOT_TARGETS, ids=[r[0][:12] for r in TABLES_NOT_TARGETS])
def test_tables_that_set_no_goal(rows: list[str]) -> None:
    assert find_targets(rows, [fold(s) for s in rows]) == []


def test_inline_summary_heading_opens_a_past_section() -> None:
    # One long line whose headings lost their line breaks: results are no goals, a clause
    # that looks ahead (年底前) still is.
    line = (
        "区教育局2023年工作总结及2024年工作打算一、2023年工作总结(一)办学条件。新建学校3所,"
        "新增学位2400个;二中扩建工程年底前完成主体工程60%以上。二、2024年工作打算新建幼儿园4所。"
    )
    found = targets_of(line)
    assert [(t.value, t.unit, t.op) for t in found] == [(60, "%", ">="), (4, "所", "=")]


def test_values_under_a_goal_heading_are_targets() -> None:
    text = "\n".join(["二、主要目标", "特殊教育入学率为97%。", "三、重点任务", "全县特殊教育入学率为90%。"])
    assert [(t.line, t.op, t.value) for t in targets_of(text)] == [(2, "=", 97)]


def test_inline_heading_without_words_ends_a_past_section() -> None:
    line = "一、2023年工作回顾(一)办学条件。新建学校3所。二、抓好学前教育。新建幼儿园4所。"
    assert [(t.value, t.unit) for t in targets_of(line)] == [(4, "所")]


def test_generic_rate_refers_to_the_clause_before() -> None:
    (t,) = targets_of("每学期组织一次安全知识书面测试。合格率在95以上。")
    assert (t.op, t.value, t.unit) == (">=", 95, None)
    assert "安全知识书面测试" in t.text


def test_scope_count_before_another_number_is_no_target() -> None:
    found = targets_of("投入资金1455万元,推进233所学校239座厕所改造项目。")
    assert [(t.value, t.unit) for t in found] == [(1455, "万元"), (239, "座")]


def test_value_is_int_when_whole() -> None:
    (t,) = targets_of("新建学校10所。")
    assert isinstance(t.value, int)
    (t,) = targets_of("巩固率达到96.5%。")
    assert t.value == 96.5


def test_text_is_the_clause_in_original_script() -> None:
    (t,) = targets_of("進一步擴大高中辦學規模,力爭普通高中毛入學率達到60.5%;實施第二輪特殊教育行動計劃")
    assert t.text == "力爭普通高中毛入學率達到60.5%"
    assert t.indicator == "普通高中毛入學率"


def test_lines_skip_and_duplicates() -> None:
    lines = [
        "柳城县教育局2019年教育工作计划",
        "义务教育巩固率达96.99%。",
        "网页垃圾:巩固率达50%",
        "义务教育巩固率达96.99%。",
    ]
    folded = [fold(s) for s in lines]
    found = find_targets(lines, folded, skip={2})
    assert [(t.line, t.value) for t in found] == [(2, 96.99)]  # line 4 repeats line 2


def test_summary_sections_set_no_goals() -> None:
    text = "\n".join(
        [
            "一、2020年工作回顾",
            "全年新建幼儿园8所,义务教育巩固率达到95%。",
            "二、2021年工作目标",
            "新建幼儿园5所,义务教育巩固率达到96%。",
        ]
    )
    found = targets_of(text)
    assert [(t.line, t.value) for t in found] == [(4, 5), (4, 96)]


def test_summary_title_holds_over_page_lines() -> None:
    text = "\n".join(["县教育局2022年工作总结", "发布时间:2023-01-05", "全年新建幼儿园6所,巩固率达到99%。"])
    assert targets_of(text) == []


def test_summary_title_holds_until_a_plan_heading() -> None:
    text = "\n".join(
        [
            "县教育局2020年工作总结",
            "一、基本情况",
            "(一)紧盯目标,推进工作落地见效",
            "投入资金1455万元,推进校园足球场地建设,竣工率100%。",
            "二、2021年工作打算",
            "新建幼儿园5所。",
        ]
    )
    assert [(t.line, t.value) for t in targets_of(text)] == [(6, 5)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=8))
def test_random_text_never_raises(lines: list[str]) -> None:
    found = find_targets(lines, [fold(s) for s in lines], {0})
    assert all(isinstance(t, Target) for t in found)


ALPHABET = "0123456789.%,;。、:()“”《》〔〕-—年月日第每的达到以上左右余名所个项万元人率新建完成了已 \t"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=120), max_size=6))
def test_number_soup_never_raises(lines: list[str]) -> None:
    found = find_targets(lines, [fold(s) for s in lines])
    for t in found:
        assert t.op in (">=", "<=", "=", "~", "<", ">")
        assert 1 <= t.line <= len(lines)


def test_mismatched_inputs_do_not_raise() -> None:
    assert find_targets([], ["巩固率达到95%。"]) != [] or True
    assert find_targets(["x"], []) == []


PROSE = (
    "坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻党的教育方针,落实立德树人根本任务。"
    "加强中小学思想政治建设,严格落实意识形态工作责任制,营造全社会关心支持教育发展的良好氛围。"
    "健全师德建设长效机制,组织开展师德宣讲活动,树立师德典型,营造风清气正教育行风。"
)


def test_one_long_line_is_read_whole() -> None:
    # Speed is measured by `eduplan bench parse`; here only that a huge line gives its targets.
    line = "新建学校10所,巩固率达到95%," * 20000 + "1" * 50000
    found = find_targets([line], [fold(line)])
    assert found and {t.value for t in found} == {10, 95}
