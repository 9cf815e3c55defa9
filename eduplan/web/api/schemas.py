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
    kind: Literal["progress", "completion", "reopen"] = Field(
        default="progress", description="progress 进度、completion 完成报告（销号）、reopen 重新打开的原因"
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


PlanDetail.model_rebuild()
