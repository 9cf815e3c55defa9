"""Academic years, terms and their weeks in the ledger, inferred from imported 行事历."""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from eduplan.calendar import model as cal
from eduplan.calendar.terms import infer_term, weeks
from eduplan.ledger.models import AcademicYear, Term, TermWeek
from eduplan.plan import Plan as ParsedPlan

AUTUMN_FIRST_MONTH = 8
"""Terms starting in August or later are the first term (秋季学期) of a school year."""


def school_year(day: date) -> tuple[int, int]:
    """(2020, 2021) for any day from 2020-08-01 to 2021-07-31."""
    first = day.year if day.month >= AUTUMN_FIRST_MONTH else day.year - 1
    return first, first + 1


def store_term(session: Session, bureau_id: int, term: cal.Term) -> Term:
    """The ledger's record of ``term`` (matched on its start), created with its weeks if new."""
    found = session.scalars(select(Term).where(Term.bureau_id == bureau_id, Term.start == term.start)).first()
    if found is not None:
        return found
    first, second = school_year(term.start)
    year = session.scalars(
        select(AcademicYear).where(
            AcademicYear.bureau_id == bureau_id, AcademicYear.start == date(first, 8, 1)
        )
    ).first()
    if year is None:
        year = AcademicYear(
            bureau_id=bureau_id,
            name=f"{first}—{second}学年",
            start=date(first, 8, 1),
            end=date(second, 7, 31),
        )
        session.add(year)
        session.flush()
    number = 1 if term.start.month >= AUTUMN_FIRST_MONTH else 2
    record = Term(
        bureau_id=bureau_id,
        year_id=year.id,
        number=number,
        name=term.name or f"{first}—{second}学年第{'一' if number == 1 else '二'}学期",
        start=term.start,
        end=term.end,
        week1_start=term.week1_start,
        prep_week=term.prep_week,
        weeks=[TermWeek(number=w.number, start=w.start, end=w.end) for w in weeks(term)],
    )
    session.add(record)
    session.flush()
    return record


def store_term_of(session: Session, bureau_id: int, plan: ParsedPlan) -> int | None:
    """For a week calendar, the id of its term (inferred from its week rows), else None."""
    if plan.kind != "calendar":
        return None
    term = infer_term(plan)
    return store_term(session, bureau_id, term).id if term is not None else None


def as_calendar_term(record: Term) -> cal.Term:
    return cal.Term(record.name, record.start, record.end, record.week1_start, record.prep_week)


_ALL_TERMS = select(Term).order_by(Term.start)
_BUREAU_TERMS = _ALL_TERMS.where(Term.bureau_id == bindparam("bureau_id"))
"""``term_for``'s statements, built once (issue 12: building and keying one per page cost more
Python than running it)."""


def term_for(session: Session, bureau_id: int | None, day: date) -> Term | None:
    """The bureau's term containing ``day``; else the latest one that began before it; else
    (``day`` before every term, e.g. the eve of a new term) the first one after it."""
    if bureau_id is None:
        terms = session.scalars(_ALL_TERMS).all()
    else:
        terms = session.scalars(_BUREAU_TERMS, {"bureau_id": bureau_id}).all()
    for term in terms:
        if term.start <= day <= term.end:
            return term
    before = [t for t in terms if t.start <= day]
    if before:
        return before[-1]
    return terms[0] if terms else None
