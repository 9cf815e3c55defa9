"""导入: upload a document, review and correct what the reader made of it, publish it (admin)."""

from __future__ import annotations

import copy

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from eduplan.errors import EduplanError
from eduplan.jobs import store
from eduplan.ledger import corrections
from eduplan.web import jobs as web_jobs
from eduplan.web.auth import Viewer, require_admin
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session, get_session_without_turn
from eduplan.web.templating import render
from eduplan.web.uploads import parsed_form, read_limited
from eduplan.web.views import imports as pages

router = APIRouter(include_in_schema=False)


def _limit_body(request: Request) -> None:
    """Refuse an announced body far above the limit before reading any of it."""
    message = pages.body_too_big(request.headers.get("content-length"))
    if message:
        raise HTTPException(413, message)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _upload_page(
    request: Request, session: Session, viewer: Viewer, error: str | None, status: int = 200, year: str = ""
):
    if _wants_json(request) and error:
        return JSONResponse({"detail": error}, status_code=status)
    return render(
        request,
        "import_upload.html",
        {
            "active": "import",
            "error": error,
            "accept": pages.ACCEPT,
            "max_bytes": pages.upload_limit(),
            "max_label": pages.limit_label(),
            "drafts": pages.recent_drafts(session, viewer),
            "year": year,
        },
        status,
    )


@router.get("/import")
def upload_form(
    request: Request, viewer: Viewer = Depends(require_admin), session: Session = Depends(get_session)
):
    return _upload_page(request, session, viewer, None)


@router.post(
    "/import", dependencies=[Depends(web_jobs.admin_without_turn), Depends(_limit_body), Depends(check_csrf)]
)
async def upload(
    request: Request,
    viewer: Viewer = Depends(web_jobs.admin_without_turn),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session_without_turn),
):
    """Store the upload as a job read in a child process (``eduplan.web.jobs``); answer with the
    draft when the reading is done within a few seconds, else with the waiting page."""

    def page(error: str, status: int, year: str = ""):
        return run_in_threadpool(_upload_page, request, session, viewer, error, status, year)

    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await page("请选择要导入的文件", 400)
    limit = pages.upload_limit()
    data = await run_in_threadpool(read_limited, upload, limit)
    if len(data) > limit:
        size = upload.size if upload.size and upload.size > len(data) else len(data)
        return await page(pages.too_big_message(size), 413)
    name = pages.safe_name(upload.filename)
    year_field = str(form.get("year") or "")
    try:
        year = pages.parse_year(year_field)
    except EduplanError as exc:
        return await page(str(exc), 400, year_field[:4])
    job_id = await run_in_threadpool(
        web_jobs.submit_upload, request.app, viewer.id, viewer.bureau_id, name, data, year
    )
    await web_jobs.wait_for(request, job_id, web_jobs.wait_seconds())
    job = await run_in_threadpool(web_jobs.job_of, session, viewer.bureau_id, job_id)
    if job is not None and job.status == "failed":
        return await page(job.message or "", 400, year_field[:4])
    if job is not None and job.status == "done" and job.draft_id is not None:
        target = f"/import/{job.draft_id}"
        if _wants_json(request):
            return JSONResponse({"redirect": target, "draft_id": job.draft_id})
        return RedirectResponse(target, status_code=303)
    target = f"/import/jobs/{job_id}"
    if _wants_json(request):
        return JSONResponse({"redirect": target, "job_id": job_id})
    return RedirectResponse(target, status_code=303)


@router.get("/import/jobs/{job_id}")
def job_page(
    request: Request,
    job_id: int,
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    """正在读取…: the reading's progress, reloading itself until the draft is there."""
    job = web_jobs.job_of(session, viewer.bureau_id, job_id)
    if job is None:
        raise HTTPException(404, "找不到这次导入")
    if job.status == "done" and job.draft_id is not None:
        target = f"/import/{job.draft_id}"
        if _wants_json(request):
            return JSONResponse({"status": job.status, "redirect": target, "draft_id": job.draft_id})
        return RedirectResponse(target, status_code=303)
    if _wants_json(request):
        return JSONResponse(
            {
                "status": job.status,
                "stage": job.stage,
                "label": job.label,
                "step": job.step,
                "detail": job.message,
            }
        )
    context = {
        "active": "import",
        "job": job,
        "steps": len(store.STAGES),
        "refresh": web_jobs.REFRESH_SECONDS,
        "elapsed": web_jobs.elapsed_seconds(job),
        "limit": web_jobs.time_limit(request.app),
    }
    return render(request, "import_job.html", context)


@router.get("/import/{draft_id}")
def preview(
    request: Request,
    draft_id: int,
    saved: int = 0,
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    draft = pages.load_draft(session, viewer, draft_id)
    if draft.published_plan_id is None:
        # Review ids, and the corrections of an earlier version replayed, before the form is made.
        corrections.start_review(session, draft, viewer.username)
        session.commit()
    return render(request, "import_preview.html", pages.preview_context(draft, saved=bool(saved)))


@router.post("/import/{draft_id}", dependencies=[Depends(require_admin), Depends(check_csrf)])
def save_corrections(
    request: Request,
    draft_id: int,
    viewer: Viewer = Depends(require_admin),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    draft = pages.load_draft(session, viewer, draft_id)
    if draft.published_plan_id is not None:
        context = pages.preview_context(draft, errors=["这份草稿已经发布，不能再修改；请重新上传文件"])
        return render(request, "import_preview.html", context, 409)
    before = _start_review(session, viewer, draft)
    rows, errors, plan_title = pages.apply_corrections(draft, form)
    if errors:
        session.rollback()
        context = pages.preview_context(draft, rows=rows, errors=errors, plan_title=plan_title)
        return render(request, "import_preview.html", context, 400)
    corrections.record_diff(session, draft, before, viewer.username)
    session.commit()
    return RedirectResponse(f"/import/{draft_id}?saved=1", status_code=303)


def _start_review(session: Session, viewer: Viewer, draft) -> dict:
    """The draft with its review ids (and any earlier corrections replayed), as it was before
    this form: what the form changes is then stored as corrections too (issue 14)."""
    corrections.start_review(session, draft, viewer.username)
    return copy.deepcopy(draft.plan)


@router.post("/import/{draft_id}/publish", dependencies=[Depends(require_admin), Depends(check_csrf)])
def publish(
    request: Request,
    draft_id: int,
    viewer: Viewer = Depends(require_admin),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    """Publish the draft; sent from the preview form, its corrections are saved first."""
    draft = pages.load_draft(session, viewer, draft_id)
    if draft.published_plan_id is None and any(key.startswith("title-") for key in form.keys()):
        before = _start_review(session, viewer, draft)
        rows, errors, plan_title = pages.apply_corrections(draft, form)
        if errors:
            session.rollback()
            context = pages.preview_context(draft, rows=rows, errors=errors, plan_title=plan_title)
            return render(request, "import_preview.html", context, 400)
        corrections.record_diff(session, draft, before, viewer.username)
    try:
        result = pages.publish(session, viewer, draft)
    except EduplanError as exc:
        session.rollback()
        return render(request, "import_preview.html", pages.preview_context(draft, errors=[str(exc)]), 400)
    session.commit()
    context = pages.preview_context(draft, result=result, result_label=pages.STATUS_LABELS.get(result.status))
    return render(request, "import_preview.html", context)


@router.post("/import/{draft_id}/discard", dependencies=[Depends(require_admin), Depends(check_csrf)])
def discard(draft_id: int, viewer: Viewer = Depends(require_admin), session: Session = Depends(get_session)):
    draft = pages.load_draft(session, viewer, draft_id)
    pages.discard(session, viewer, draft)
    session.commit()
    return RedirectResponse("/import", status_code=303)
