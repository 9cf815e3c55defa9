"""The ledger's tables (SQLAlchemy 2 declarative). Schema changes go through Alembic migrations
in ``eduplan/ledger/migrations``; a test checks the models and the migrations agree."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Organisation kinds: the bureau itself, its offices (股室), schools, and collective names a
# document uses for many schools at once (各学校, 各中小学), which no single school owns.
# A school's own offices (教务处, 德育处, 团委, 总务处) are "school_office": they hang under their
# school (``parent_id``) and count as the school's, not as one of the bureau's offices.
ORG_KINDS = ("bureau", "office", "school", "group", "school_office")

# Item status as stored; "overdue" is never stored, it is derived on every read (status.py).
ITEM_STATUSES = ("open", "in_progress", "done", "cancelled")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, list[Any]: JSON}


class Organisation(Base):
    """A bureau, an office, a school or a group of schools. Offices and schools belong to a
    bureau (``bureau_id``) and may hang under another organisation (``parent_id``)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    norm: Mapped[str] = mapped_column(String(200))
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # An office the bureau lets review and edit import drafts besides 管理员 (migration 0007).
    import_rights: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A school's type (``eduplan.ledger.schoolwords.SCHOOL_TYPES``: primary, junior …), None unknown.
    school_type: Mapped[str | None] = mapped_column(String(16))
    # A group's standard key (``schoolwords.STANDARD_GROUPS``: all, primary …) when an
    # administrator set it; None: read from the group's name, or its listed members.
    group_key: Mapped[str | None] = mapped_column(String(16))

    __table_args__ = (
        UniqueConstraint("bureau_id", "norm"),
        Index("ix_organisations_bureau_kind", "bureau_id", "kind"),
    )


class OrgAlias(Base):
    """Another name of an organisation within a bureau (基础教育股 for 基教股), normalised."""

    __tablename__ = "organisation_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    norm: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("bureau_id", "norm"),)


class AcademicYear(Base):
    __tablename__ = "academic_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("bureau_id", "start"),)


class Term(Base):
    """A term: week 1 begins on ``week1_start``; with ``prep_week`` the week before is 预备周."""

    __tablename__ = "terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1 = 第一学期 (autumn), 2 = 第二学期 (spring)
    name: Mapped[str] = mapped_column(String(200))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    week1_start: Mapped[date] = mapped_column(Date)
    prep_week: Mapped[bool] = mapped_column(Boolean, default=False)

    weeks: Mapped[list[TermWeek]] = relationship(
        back_populates="term", order_by="TermWeek.number", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("bureau_id", "start"),)


class TermWeek(Base):
    """One week of a term: number 0 is 预备周, 1.. are 第N周; dates inclusive."""

    __tablename__ = "term_weeks"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)

    term: Mapped[Term] = relationship(back_populates="weeks")

    __table_args__ = (UniqueConstraint("term_id", "number"),)


class HolidayOverride(Base):
    """A day an administrator entered from the State Council's notice (years the holiday package
    lacks, or corrections): ``off`` True for a day off, False for an adjusted working day."""

    __tablename__ = "holiday_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    off: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(100))


class Plan(Base):
    """A plan as the bureau knows it across its revisions; ``key`` (normalised title) ties the
    versions of one plan together."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    issuer: Mapped[str | None] = mapped_column(String(200))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    term_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id", ondelete="SET NULL"))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("bureau_id", "key"),)


class PlanVersion(Base):
    """One imported file of a plan, kept byte for byte with its SHA-256."""

    __tablename__ = "plan_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    source_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str | None] = mapped_column(String(32))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(100))

    plan: Mapped[Plan] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("plan_id", "number"),)


class Item(Base):
    """One piece of schedulable work. The row lives across plan versions (``added_in`` ..
    ``removed_in``), so status and progress recorded against it survive a revised plan."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    norm_text: Mapped[str] = mapped_column(Text)
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    section: Mapped[str | None] = mapped_column(String(200))
    line: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    status: Mapped[str] = mapped_column(String(16), default="open")
    added_in: Mapped[int] = mapped_column(Integer, default=1)
    removed_in: Mapped[int | None] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # 销号: who closed the item and when (set with status done, cleared on reopen).
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    units: Mapped[list[ItemUnit]] = relationship(
        order_by="ItemUnit.position", cascade="all, delete-orphan", back_populates="item"
    )

    __table_args__ = (
        Index("ix_items_plan_live_start", "plan_id", "removed_in", "start"),
        Index("ix_items_span", "start", "end"),
    )


class ItemUnit(Base):
    """A responsible unit of an item; position 0 is the lead unit."""

    __tablename__ = "item_units"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    item: Mapped[Item] = relationship(back_populates="units")
    org: Mapped[Organisation] = relationship()

    __table_args__ = (Index("ix_item_units_org_item", "org_id", "item_id"),)


class Target(Base):
    """A quantified goal of a plan (学前三年毛入园率 ≥ 88.4%)."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(Text)
    norm: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    op: Mapped[str] = mapped_column(String(4))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(32))
    deadline: Mapped[date | None] = mapped_column(Date)
    line: Mapped[int] = mapped_column(Integer, default=0)
    added_in: Mapped[int] = mapped_column(Integer, default=1)
    removed_in: Mapped[int | None] = mapped_column(Integer)
    # The unit that reports the target's actuals (set by an administrator), None: the offices of
    # the target's line (``actuals.target_offices``).
    lead_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))


class ProgressReport(Base):
    """A progress report on an item (what was done, by whom, when)."""

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    percent: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="progress", server_default="progress")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_progress_reports_item_created", "item_id", "created_at"),)


class AuditEntry(Base):
    """Every change: who, when, what, the record before and after (JSON)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    # none_as_null: "nothing before" is SQL NULL on every database, not a JSON 'null' document.
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)


# ---------------------------------------------------------------- accounts and the web app

ROLES = ("admin", "office", "school", "guest")
"""管理员 (the bureau office: everything), 科室 (an office), 学校 (a school), 访客 (read-only)."""


class User(Base):
    """A person who signs in. Office and school users belong to their organisation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A token for integrations (``Authorization: Bearer …``); only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A signed-in browser session. The cookie carries only this session's random id (signed);
    only its SHA-256 is stored. Ending a session deletes its row, so a copied cookie stops working
    at once: on sign-out, a password change or reset, deactivation, a role change, or when it has
    been idle or alive too long (``eduplan.settings.SessionSettings``)."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    address: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300))
    notice: Mapped[str | None] = mapped_column(Text)
    """A one-line notice to show on the next page (after a redirect), then cleared."""


class FeedToken(Base):
    """The secret in an office's or school's private iCalendar subscription link (revocable)."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Attachment(Base):
    """A file attached to a progress report, stored in the database (backed up with it)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Draft(Base):
    """An uploaded document on the import screen: the file and the plan as a person corrects it,
    until it is published into the ledger (or discarded)."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    source_name: Mapped[str] = mapped_column(String(500))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    lines: Mapped[list[Any]] = mapped_column(JSON, default=list)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    # "upload" for a document a person uploaded; "proposal" for next term's plan drafted by
    # eduplan from past plans (no file).
    origin: Mapped[str] = mapped_column(String(16), default="upload", server_default="upload")


class ImportCorrection(Base):
    """One thing a person changed on the import screen, kept as its own layer so the next
    version of the same document gets it again. ``doc_key`` ties the versions of one document
    (``importer.plan_key`` of the plan as the reader made it); ``target`` names what was
    changed by a stable identity (``item:<rid>``, ``header``, ``target:<rid>``, ``lines:<n,…>``)
    that survives a re-reading; ``status`` is ``active``, ``conflict`` (waiting for a decision
    on a re-import) or ``dropped``."""

    __tablename__ = "import_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    doc_key: Mapped[str] = mapped_column(String(300))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"), index=True)
    op: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(300))
    field: Mapped[str | None] = mapped_column(String(32))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_import_corrections_bureau_doc", "bureau_id", "doc_key"),)


class LearnedHint(Base):
    """What a correction taught about a bureau rather than one row — a unit's alias, a column
    header's meaning, a school's type, a term's first week — passed to the reader as a hint
    when that bureau's next document is read; revocable on the admin page."""

    __tablename__ = "learned_hints"

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(300))
    value: Mapped[str] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


JOB_STATUSES = ("pending", "running", "done", "failed")


class Job(Base):
    """Long work done off the request path (``eduplan.jobs``): reading an upload into a draft.
    The upload is kept here until the reading is done, so nothing is lost when the server or
    the queue's worker restarts; a failed reading keeps its Chinese message."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    stage: Mapped[str] = mapped_column(String(32), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))
    year: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    message: Mapped[str | None] = mapped_column(Text)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AppSetting(Base):
    """Small settings the app keeps for itself (the session-signing key when none is configured)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ---------------------------------------------------------------- supervision and reminders

REPORT_KINDS = ("progress", "completion", "reopen", "application")
"""A progress report (进展), the completion report that closes an item (销号), an application to
close (申请销号, ``closing_review``), or the reason an item was reopened."""

CHANNELS = ("email", "inapp", "webhook")


class Supervision(Base):
    """督办: a leader marks an item supervised with a deadline and a note; the responsible
    office sees it first. Lifted (``lifted_at``) when done or withdrawn; history is kept."""

    __tablename__ = "supervisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    deadline: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lifted_by: Mapped[str | None] = mapped_column(String(100))
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (  # the active 督办 only (migration 0006)
        Index(
            "ix_supervisions_active",
            "item_id",
            sqlite_where=text("lifted_at IS NULL"),
            postgresql_where=text("lifted_at IS NULL"),
        ),
    )


class TargetActual(Base):
    """A reported actual value of a target (as of a date), by an office or the bureau."""

    __tablename__ = "target_actuals"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    value: Mapped[float] = mapped_column(Float)
    as_of: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TargetActualFile(Base):
    """An evidence file of a reported actual (统计表, 证明材料), stored in the database like a
    report's attachments (``Attachment``) and under the same upload limits."""

    __tablename__ = "target_actual_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    actual_id: Mapped[int] = mapped_column(ForeignKey("target_actuals.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NotificationSetting(Base):
    """How an office or school wants its reminder digest: channels (email, inapp, webhook), the
    addresses, and quiet days (weekends, public holidays) on which nothing is sent."""

    __tablename__ = "notification_settings"

    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    channels: Mapped[list[Any]] = mapped_column(JSON, default=list)
    email: Mapped[str | None] = mapped_column(String(320))
    webhook_url: Mapped[str | None] = mapped_column(String(1000))
    webhook_kind: Mapped[str | None] = mapped_column(String(16))  # dingtalk | wecom
    quiet_weekends: Mapped[bool] = mapped_column(Boolean, default=True)
    quiet_holidays: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Notification(Base):
    """An in-app notification for an office or school (a reminder digest, a 督办, a reopen)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_notifications_org_read", "org_id", "read_at"),)


class Delivery(Base):
    """One digest for one organisation on one channel on one day: the row that makes
    ``eduplan remind`` safe to run any number of times (a sent digest is never sent again)."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # sent | failed
    items: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("org_id", "channel", "day"),)


class LoginFailure(Base):
    """A failed sign-in, for rate limiting: an account is locked after repeated failures from one
    address, so one school's shared address cannot lock out everyone behind it."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_login_failures_user_at", "username", "at"),)


# ---------------------------------------------------------------- work sent down to schools


class GroupMember(Base):
    """A member of a group an administrator defined (城区学校, a 学区 and its 村小). A group
    with members resolves to them; one without, to the schools of its standard key's types."""

    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (Index("ix_group_members_member", "member_id"),)


ASSIGNMENT_STATUSES = ("open", "in_progress", "applied", "done")
"""A school's assignment: 未开始, 进行中 (reported), 待审核 (销号 applied for), 已完成."""


class Assignment(Base):
    """分发: one school's share of an item asked of a group (各小学); the school reports on and
    completes its own, the item is done when every assignment is (``eduplan.supervise.assignments``)."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("item_id", "org_id"),)


CLOSING_STATES = ("pending", "passed", "returned")


class ClosingRequest(Base):
    """申请销号: a unit applies to close an item (or its assignment) with a completion report
    (``report_id``, files attached to it); the reviewing unit passes or returns it with a reason."""

    __tablename__ = "closing_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    org_name: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(100))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("progress_reports.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    reviewer_org: Mapped[str | None] = mapped_column(String(200))
    reviewer: Mapped[str | None] = mapped_column(String(100))
    review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
