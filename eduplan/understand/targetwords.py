"""Language knowledge about quantified targets (rates, counts, amounts), kept as data.

All words are in simplified script and NFKC form, because ``targets.py`` matches them
against ``eduplan.text.fold`` copies of the lines. Order inside a table does not
matter: the code sorts alternations longest first.
"""

from __future__ import annotations

# fmt: off

# ---------------------------------------------------------------- units

# Units a target's number may carry. A multiplier (万, 亿 …) may precede any of them
# (``726.5万元``, ``1.2万人次``), see UNIT_MULTIPLIERS.
TARGET_UNITS: tuple[str, ...] = (
    "%", "‰", "个百分点", "百分点",
    "元", "块",
    "所", "个", "名", "人次", "人", "项", "次", "场", "家", "支", "间", "套", "台", "件",
    "本", "册", "篇", "部", "门", "节", "批", "处", "座", "栋", "幢", "条", "期", "轮",
    "个班", "班", "组", "队", "户", "位", "张", "辆", "片",
    "平方米", "平米", "亩", "公里", "千米", "米",
    "课题", "分", "大项", "大类",
)

# Multipliers written between the number and the unit; they stay part of the unit.
UNIT_MULTIPLIERS: tuple[str, ...] = ("十万", "百万", "千万", "万", "亿")

# Rate units for money: 元 followed by ``/生·年``, ``/人/年`` … (the part after 元).
PER_UNIT_HEADS: tuple[str, ...] = ("生", "人", "年", "校", "班", "月", "天", "学期", "平方米")

# A number followed by one of these is a time, an age, an ordinal, a code or a
# structural count (阶段, 方面), never a target.
NON_TARGET_UNITS: tuple[str, ...] = (
    "年", "月", "日", "号", "天", "周年", "周岁", "周", "小时", "时", "分钟", "秒", "学时", "课时",
    "学分", "岁", "届", "版", "页", "楼", "层", "路", "点", "度", "星", "级", "年级", "倍", "后",
    "代", "世纪", "季", "寸", "克", "公斤", "千克", "摄氏度", "℃",
    "个月", "个学期", "个工作日", "个小时", "个星期", "个周", "个学年", "个年度", "个季度",
    "部分", "个阶段", "个方面", "个部分", "个环节", "个层次", "个维度", "个板块", "个模块", "个步骤",
)

# Units that only make sense as counts (used for numbers written in Chinese numerals,
# which need stronger evidence than Arabic digits).
COUNT_UNITS: tuple[str, ...] = (
    "所", "个", "名", "人次", "人", "项", "次", "场", "家", "支", "间", "套", "台", "件",
    "批", "处", "座", "栋", "期", "个班", "万元", "亿元",
)

# ---------------------------------------------------------------- comparison words

# Written before the number: the word decides the comparison.
OP_BEFORE: dict[str, str] = {
    # reach / keep at least
    "达到": ">=", "达": ">=", "达成": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=",
    "至少": ">=", "最少": ">=", "提高到": ">=", "提高至": ">=", "提升到": ">=", "提升至": ">=",
    "增加到": ">=", "增加至": ">=", "增长到": ">=", "增长至": ">=", "增至": ">=", "扩大到": ">=",
    "扩大至": ">=", "稳定在": ">=", "保持在": ">=", "巩固在": ">=", "维持在": ">=", "稳定于": ">=",
    "不少": ">=", "不低": ">=", "大于等于": ">=", "大于或等于": ">=",
    # stay under
    "控制在": "<=", "控制于": "<=", "不超过": "<=", "不高于": "<=", "不多于": "<=", "不大于": "<=",
    "最多": "<=", "至多": "<=", "降至": "<=", "降到": "<=", "降低到": "<=", "降低至": "<=",
    "下降到": "<=", "下降至": "<=", "减少到": "<=", "减少至": "<=", "压缩到": "<=", "压减到": "<=",
    "压缩至": "<=", "小于等于": "<=", "小于或等于": "<=",
    # strict
    "低于": "<", "少于": "<", "小于": "<", "超过": ">", "高于": ">", "多于": ">", "大于": ">",
    "超出": ">", "突破": ">", "争破": ">", "破": ">",
    # about
    # a list of values (``分别为:小学95%、初中93%``)
    "分别为": "=", "分别是": "=", "分别占": "=",
    "约": "~", "大约": "~", "大概": "~", "近": "~", "接近": "~", "将近": "~", "约为": "~",
}

# ``共`` before a number in its clause marks a total of what was done or exists
# (``共开展40次``), unless it is part of one of these words.
TOTAL_MARK = "共"
TOTAL_FALSE: tuple[str, ...] = (
    "共同", "共享", "共青", "共产", "共建", "共识", "共性", "共赢", "共育", "共治", "公共", "共进",
    "共商", "共担", "共筑", "共创", "共融", "共用", "共管", "共生", "共话", "共读", "共促",
)

# Comparison signs right before a number (full-width forms are folded to these). ``<`` ``>``
# ``=`` count only outside markup: not after a letter, digit, quote or slash (``<div>1``).
OP_SIGNS: dict[str, str] = {
    "≥": ">=", "≤": "<=", "≧": ">=", "≦": "<=", "⩾": ">=", "⩽": "<=", ">": ">", "<": "<", "=": "=",
}

# Linking words that state a value (``入学率为93%``, ``占全部学位的70%``): ``=`` when the
# phrase before them names a measure (MEASURE_ENDINGS), otherwise descriptive.
LINK_BEFORE: tuple[str, ...] = ("为", "是", "占", "占比", "占比为", "比例为", "比重为", "在")

# Endings of a phrase that names a measure (a rate, a share, a count, an amount).
MEASURE_ENDINGS: tuple[str, ...] = (
    "率", "比", "比例", "比重", "占比", "度", "数", "量", "额", "面积", "规模", "经费", "资金",
    "指数", "得分", "分数", "人数", "总数",
)

# Change verbs right before a number: the number is the change, not the level
# (``提升3个百分点``, ``增加100人``), so the comparison is ``=``.
CHANGE_BEFORE: tuple[str, ...] = (
    "提升", "提高", "增加", "增长", "降低", "下降", "减少", "压减", "扩大", "缩小", "新增",
)

# ``保3争4``: a pair of lower bounds, the first secured, the second striven for.
PAIRED_BOUNDS: tuple[tuple[str, str], ...] = (("保", "争"), ("确保", "力争"), ("保底", "力争"))

# Written after the number and its unit.
OP_AFTER: dict[str, str] = {
    "以上": ">=", "及以上": ">=", "或以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=",
    "之内": "<=", "左右": "~", "上下": "~",
}

# Written between the number and the unit (``400余名``, ``100多所``): about.
APPROX_INFIX: tuple[str, ...] = ("余", "多")

# Words right before a number that state a present value rather than a goal
# (``入园率为85%``); such a number is a target only with a goal word near it.
DESCRIPTIVE_BEFORE: tuple[str, ...] = (
    "为", "是", "占", "仅", "只有", "有", "共", "共计", "总共", "合计", "总计", "辖", "下辖",
)

# A clause with one of these before the number describes what exists or how something
# is divided; it sets no goal.
DESCRIPTIVE_WORDS: tuple[str, ...] = (
    "共有", "现有", "拥有", "尚有", "仍有", "还有", "全县有", "全市有", "全区有", "全省有", "我县有",
    "我市有", "我区有", "分为", "分成", "划分为", "包括", "包含", "涉及", "下设", "设有", "下辖", "管辖",
    "总分", "满分", "占地", "面积为", "总数为",
)

# ---------------------------------------------------------------- goal context

# A count or an amount needs one of these in its sentence before it (or in its clause)
# to be a goal: work the plan commits to.
GOAL_WORDS: tuple[str, ...] = (
    "推进", "完成", "新建", "改建", "扩建", "改扩建", "建成", "建设", "开工", "实施", "投入",
    "投资", "评选", "表彰", "培训", "培养", "招聘", "招录", "引进", "创建", "创成", "争创", "打造",
    "培育", "启动", "资助", "新增", "增加", "改造", "维修", "配备", "购置", "采购", "安排",
    "落实", "力争", "确保", "争取", "实现", "保证", "建立", "认定", "遴选", "举办", "组织",
    "开展", "发放", "选派", "选送", "补充", "招生", "录取", "提供", "惠及", "筹措",
    "安置", "提高", "提升", "增长", "降低", "减少", "达到", "预计", "申报", "推荐", "命名",
    "设立", "扩容", "办好", "开设", "开办", "帮扶", "结对", "目标", "任务", "原则上", "不少于",
    "不低于", "至少", "控制", "免除", "减免", "补助", "批准", "审批", "扶持", "创办", "做到",
    "争破", "突破",
)

# Goal words that may stand right before a count written in Chinese numerals
# (``建成三所``); other Chinese numerals are names (十四五, 三类, 七大行动) or articles.
CN_COUNT_VERBS: tuple[str, ...] = (
    "新建", "建成", "改建", "扩建", "改扩建", "创建", "创成", "争创", "打造", "培育", "建设",
    "完成", "评选", "表彰", "招聘", "引进", "新增", "增加", "启动", "实施", "推进", "建立",
    "遴选", "认定", "举办", "开工", "开办", "开设", "设立", "培训", "选派", "选树", "申报",
)

# Endings of the thing a count in Chinese numerals counts (``建成三所标准化学校``);
# without one, ``遴选四个学段`` is a scope, not a goal.
INDICATOR_ENDINGS: tuple[str, ...] = (
    "学校", "小学", "中学", "初中", "高中", "幼儿园", "园", "校", "分校", "校区", "项目", "工程",
    "示范点", "示范校", "示范园", "特色校", "工作室", "基地", "教室", "功能室", "实验室", "图书室",
    "宿舍", "食堂", "楼", "运动场", "操场", "中心", "站", "课题", "教师", "校长", "学生", "幼儿",
    "班主任", "骨干", "名师", "人才", "集体", "个人", "标兵", "先进", "班", "学位", "课程", "活动",
    "培训", "赛事", "比赛", "品牌", "社团", "联盟", "集团", "共同体", "平台", "网点", "点",
)

# Marks of a statement of work already done (summaries, 工作回顾) in the clause or in
# the sentence before the number.
PAST_WORDS: tuple[str, ...] = (
    "已经", "已", "截至", "截止", "累计", "去年", "上年", "前年", "过去", "先后", "曾", "荣获",
    "获得", "获评", "被评为", "评为", "取得", "涌现", "至今", "以来", "同比", "比上年", "较上年",
    "圆满完成", "顺利完成",
)

# Inside a review of past work, a number is still a goal when its clause looks ahead:
# a commitment word or a deadline not yet reached (``年底前完成…40%以上``).
FORWARD_WORDS: tuple[str, ...] = (
    "力争", "争取", "计划", "预计", "确保", "做到", "目标", "拟", "年底前", "年内", "年末前",
    "月底前", "底前", "之前完成", "前完成",
)

# A present state, not a goal, even with a linking word (``目前入学率为93%``).
PRESENT_WORDS: tuple[str, ...] = ("目前", "当前", "现在", "现阶段", "现为", "现有", "目前为止")

# 了 after a verb marks past work; these words contain 了 without that meaning.
LE_FALSE: tuple[str, ...] = ("了解", "为了", "除了", "了如", "不了", "了结", "明了", "了然")

# A conditional or permissive clause sets no goal (``不足百人的学校可评选1人``).
CONDITION_WORDS: tuple[str, ...] = (
    "不足", "不满", "如果", "如若", "倘若", "凡是", "可评", "可推", "可申", "可选", "可增", "可按",
    "可适当", "酌情",
)

# Right before the number: per-head distribution (``每校1名``) or an ordinal.
PER_PREFIX = "每"
ORDINAL_PREFIXES: tuple[str, ...] = ("第", "前", "No.", "NO.", "no.", "编号", "序号", "排名")

# Words right before a number that make it part of a code, a phone or an address.
CODE_PREFIXES: tuple[str, ...] = (
    "电话", "热线", "传真", "邮编", "手机", "QQ", "文号", "编码", "代码", "字",
    # page clutter: view, download and comment counters
    "浏览", "浏览量", "浏览次数", "阅读", "阅读量", "阅读次数", "点击", "点击量", "点击数", "访问量",
    "下载", "下载次数", "评论", "点赞", "收藏", "人气", "热度", "字数",
)

# ---------------------------------------------------------------- indicator phrase

# Stripped from the front of an indicator phrase (verbs, adverbs, scope words).
LEADING_FILLERS: tuple[str, ...] = (
    "实现", "确保", "力争", "争取", "保证", "保持", "使得", "并且", "以及",
    "全县", "全市", "全区", "全省", "全镇", "全乡", "全旗", "全州", "全盟", "全面", "全年", "我县",
    "我市", "我区", "进一步", "努力", "积极", "继续", "持续", "逐步", "切实", "全力", "大力",
    "着力", "重点", "推进", "完成", "开工", "建设", "实施", "投入", "计划", "预计", "加强", "加快",
    "推动", "做好", "抓好", "落实", "开展", "组织", "评选", "表彰", "启动", "新建", "建成", "打造",
    "培育", "创建", "争创", "招聘", "引进", "选树", "选派", "遴选", "培训", "培养", "安排", "提高",
    "提升", "扩大", "深化", "完善", "年底", "年内", "年末", "届时", "其中", "同时", "另外", "此外",
    "目标", "任务", "原则上", "内部", "及时", "基本", "每年", "本年", "今年", "明年", "当年",
    "年度", "以上", "左右", "拟", "的", "按照", "下达", "下拨", "拨付", "筹措", "争取到",
)

# After a count, these link the number to a verb and its object (``按6000元/生·年标准落实
# 特殊教育生均公用经费``, ``投入50万元用于薄弱学校改造``); they and the verb are stripped.
AFTER_LINKS: tuple[str, ...] = ("标准", "用于", "用来", "用以", "专项用于", "左右", "以上")

# Stripped from the end of an indicator phrase.
TRAILING_FILLERS: tuple[str, ...] = (
    "分别", "均", "都", "要", "须", "必须", "应", "稳定", "保持", "努力", "力争", "争取", "继续",
    "进一步", "总体", "普遍", "全部", "的", "等", "原则上", "要求", "标准", "比例为", "为",
    "已", "将", "累计", "共", "总计", "合计", "每年", "年均", "降低", "下降", "提高", "提升", "按照",
    "增长", "增加", "减少", "扩大", "达到", "达", "稳定在", "保持在", "控制在",
)

# First characters that cannot stand alone once a verb is stripped off the front
# (巩固率 must not become 率).
BOUND_HEADS = "率费数量额比度期"

# Generic nouns that name no indicator by themselves (``1%的比例``).
GENERIC_INDICATORS: tuple[str, ...] = ("比例", "比重", "标准", "水平", "目标", "规模", "数量", "左右", "以上")

# ---------------------------------------------------------------- sections

# A numbered heading with one of these words starts a review of past work; numbers
# under it are not goals until a heading with a PLAN word.
HEADING_PAST_WORDS: tuple[str, ...] = (
    "回顾", "工作总结", "总结", "主要成绩", "取得的成绩", "工作成效", "主要成效", "完成情况",
    "基本情况", "工作情况", "进展情况", "现状", "存在问题", "存在的问题", "成绩与问题",
)
# A heading with one of these opens a list of goals: values stated there (``入学率为95%``)
# are targets.
HEADING_GOAL_WORDS: tuple[str, ...] = ("目标", "指标", "目标任务")
HEADING_PLAN_WORDS: tuple[str, ...] = (
    "计划", "目标", "思路", "任务", "重点", "措施", "打算", "安排", "要点", "举措", "工作意见",
    "指导思想", "总体要求", "下一步", "谋划", "设想", "展望", "规划",
)

# ---------------------------------------------------------------- Chinese numerals

CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
    "八": 8, "九": 9,
}
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

# fmt: on

# ---------------------------------------------------------------- tables

# A column whose header holds one of these reports a state or a result, not a goal
# (``2020年现状``, ``完成情况``), or holds no quantity at all (``序号``).
TABLE_NON_GOAL_HEADERS: tuple[str, ...] = (
    "现状",
    "基期",
    "基数",
    "基准",
    "实际",
    "完成",
    "已",
    "上年",
    "去年",
    "现有",
    "目前",
    "当前",
    "序号",
    "编号",
    "排名",
    "排序",
    "年份",
    "日期",
    "时间",
    "电话",
    "备注",
    "说明",
    "周次",
)

# Headers that mark the goal column when a table has several numeric columns.
TABLE_GOAL_HEADERS: tuple[str, ...] = ("目标", "预期", "规划", "计划", "任务", "指标值", "要求", "达到")

# A table captioned (or headed) with one of these lists goals, so its bare numbers are targets.
TABLE_CAPTION_WORDS: tuple[str, ...] = ("指标", "目标任务", "任务分解", "责任分解")
