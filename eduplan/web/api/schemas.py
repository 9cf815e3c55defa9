"""The JSON API's request and response bodies (pydantic): what /api/v1 promises integrations.

Field descriptions are Chinese, as the OpenAPI page at /api/docs is read by the people who wire
eduplan to an OA system; names are English, as in the code.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

StoredStatus = Literal["open", "in_progress", "done", "cancelled"]
DerivedStatus = Literal["open", "in_progress", "done", "cancelled", "overdue"]
UnitKind = Literal["bureau", "office", "school", "group"]


class ErrorOut(BaseModel):
    detail: str = Field(description="出错原因（中文）")


class MeOut(BaseModel):
    id: int
    username: str
    display_name: str = Field(description="显示名称")
    role: Literal["admin", "office", "school", "guest"] = Field(description="角色")
    role_label: str = Field(description="角色名称：管理员/科室/学校/访客")
    bureau_id: int | None = Field(description="所属教育局")
    org_id: int | None = Field(description="所属科室或学校（管理员、访客为空）")
    org_name: str | None = Field(description="所属科室或学校名称")
    via_token: bool = Field(description="本次请求是否用 API 令牌认证")
    csrf_token: str | None = Field(
        default=None,
        description="用登录会话（Cookie）调用写接口时放在 X-CSRF-Token 请求头里的值；令牌认证时为空",
    )


class PlanOut(BaseModel):
    id: int
    title: str | None = Field(description="计划标题")
    kind: str = Field(description="文档类型：plan 工作计划、calendar 行事历、summary 总结 …")
    issuer: str | None = Field(description="发文单位")
    period_start: date | None = Field(description="计划期间起")
    period_end: date | None = Field(description="计划期间止")
    term_id: int | None = Field(description="对应学期（行事历）")
    current_version: int = Field(description="当前版本号")
    public: bool = Field(description="是否已公开发布")
    updated_at: datetime


class PlanDetail(PlanOut):
    item_count: int = Field(description="本人可见的事项数")
    target_count: int = Field(description="量化指标数")
    versions: list[PlanVersionOut] = Field(description="导入过的各个版本")


class PlanVersionOut(BaseModel):
    number: int
    source_name: str = Field(description="导入的文件名")
    sha256: str
    imported_at: datetime
    imported_by: str


class UnitRef(BaseModel):
    id: int
    name: str
    kind: UnitKind = Field(description="office 科室、school 学校、group 学校集合（各学校）")


class ItemOut(BaseModel):
    id: int
    uid: str = Field(description="稳定标识（日历订阅、外部系统对接用）")
    plan_id: int
    plan_title: str | None
    title: str = Field(description="事项标题")
    text: str = Field(description="原文")
    start: date | None = Field(description="开始日期")
    end: date | None = Field(description="结束日期（含）")
    section: str | None = Field(description="所在章节或周次")
    line: int = Field(description="原文行号")
    confidence: float = Field(description="识别可信度 0–1")
    status: DerivedStatus = Field(description="状态；overdue 表示已逾期（按当天推算，不存储）")
    stored_status: StoredStatus = Field(description="存储的状态")
    status_label: str = Field(description="状态名称：未开始/进行中/已完成/已取消/已逾期")
    revision: int = Field(description="修订号，每次修改加一")
    updated_at: datetime
    units: list[UnitRef] = Field(description="责任单位，牵头单位在前")
    can_edit: bool = Field(description="本人能否修改此事项")
    can_report: bool = Field(description="本人能否填报进度")


class ItemDetail(ItemOut):
    removed: bool = Field(description="是否已从计划的新版本中删除")
    closed_at: datetime | None = Field(default=None, description="销号时间（已完成时）")
    closed_by: str | None = Field(default=None, description="销号人（已完成时）")


class ItemPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: StoredStatus = Field(
        description="新状态：open 未开始、in_progress 进行中、done 已完成、cancelled 已取消"
    )
    revision: int | None = Field(
        default=None, description="可选：客户端看到的修订号；与当前不符时返回 409，避免覆盖他人的修改"
    )


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5000, description="进度说明")
    percent: int | None = Field(default=None, ge=0, le=100, description="完成百分比 0–100")


class ReportOut(BaseModel):
    id: int
    item_id: int
    org_id: int | None = Field(description="填报单位")
    org_name: str | None = Field(description="填报单位名称")
    author: str = Field(description="填报人")
    text: str
    percent: int | None
    kind: Literal["progress", "completion", "reopen", "application"] = Field(
        default="progress",
        description=(
            "progress 进度、completion 完成报告（销号）、reopen 重新打开的原因、"
            "application 申请销号的完成情况"
        ),
    )
    created_at: datetime


class TargetOut(BaseModel):
    id: int
    plan_id: int
    plan_title: str | None
    seq: int
    indicator: str = Field(description="指标名称")
    text: str = Field(description="原文")
    op: str = Field(description="比较：>= ≤ = …")
    value: float = Field(description="目标值")
    unit: str | None = Field(description="单位（%、所、人 …）")
    deadline: date | None = Field(description="完成期限")
    line: int = Field(description="原文行号")


class UnitOut(UnitRef):
    needs_review: bool = Field(description="导入时新建、尚待管理员核对")
    aliases: list[str] = Field(description="别名（规范化后）")


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="令牌用途，例如“OA 系统推送”")


class TokenOut(BaseModel):
    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None = Field(description="撤销时间；为空表示有效")


class TokenCreated(TokenOut):
    token: str = Field(description="令牌本身，只显示这一次；服务器只保存其 SHA-256 摘要")


# ------------------------------------------------------------------------------ work sent down to schools

AssignmentStatus = Literal["open", "in_progress", "applied", "done"]
ClosingState = Literal["pending", "passed", "returned"]


class ApplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5000, description="完成情况（完成报告，必填）")


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["pass", "return"] = Field(description="pass 通过（销号）、return 退回")
    note: str = Field(default="", max_length=2000, description="审核意见；退回时必填")


class ClosingRequestOut(BaseModel):
    id: int
    item_id: int
    assignment_id: int | None = Field(description="学校的回执（分发给学校的工作）；为空表示整项工作的申请")
    org_id: int | None = Field(description="申请单位")
    org_name: str = Field(description="申请单位名称")
    author: str = Field(description="申请人")
    text: str = Field(description="完成情况")
    state: ClosingState = Field(description="pending 待审核、passed 已通过、returned 已退回")
    state_label: str = Field(description="状态名称")
    reviewer_org: str | None = Field(description="审核单位")
    reviewer: str | None = Field(description="审核人")
    review_note: str | None = Field(description="审核意见（退回原因）")
    created_at: datetime
    reviewed_at: datetime | None


class AssignmentOut(BaseModel):
    school: UnitRef = Field(description="承办学校")
    assignment_id: int | None = Field(description="回执编号；学校后来才归入群组、尚未分发时为空")
    status: AssignmentStatus = Field(
        description="open 未开始、in_progress 已填报进度、applied 已申请销号（待审核）、done 已完成"
    )
    late: bool = Field(description="事项已过期而本校既未完成也未申请销号")
    status_label: str = Field(description="状态名称：未开始/进行中/待审核/已完成/已逾期")
    last_report_at: datetime | None = Field(description="最近一次填报的时间")
    last_report: str | None = Field(description="最近一次填报的内容")
    pending_request_id: int | None = Field(description="等待审核的销号申请编号")


class RepliesOut(BaseModel):
    item_id: int
    done: int = Field(description="已完成的学校数")
    reported: int = Field(description="已回复（填报、申请或完成）的学校数")
    not_started: int = Field(description="未开始的学校数")
    late: int = Field(description="已逾期的学校数")
    rows: list[AssignmentOut] = Field(description="各承办学校的回执")


class FiguresOut(BaseModel):
    unit: UnitRef | None = Field(description="单位；为空表示全局合计（每项工作只计一次）")
    name: str
    items: int = Field(description="计入的事项数")
    due: int = Field(description="应办结：最后一天不晚于统计日")
    done: int = Field(description="已办结：应办结且已销号（学校：本校回执已通过）")
    rate: float | None = Field(description="办结率 = 已办结 ÷ 应办结（0–1）；没有应办结时为空")
    rate_text: str = Field(description="办结率，一位小数（60.5%），没有应办结时为“—”")
    in_progress: int = Field(description="进行中且未逾期")
    overdue: int = Field(description="已逾期：过了最后一天，既未完成也未取消")
    due_this_week: int = Field(description="本周（周一至周日）到期、尚未完成")


class BureauFiguresOut(BaseModel):
    as_of: date = Field(description="统计日")
    week_start: date
    week_end: date
    total: FiguresOut
    units: list[FiguresOut] = Field(description="各科室、学校和学校群组")


PlanDetail.model_rebuild()
