"""Pages that do not need the patient registry's data: login/logout, upload -> annotation +
HER2 report, case form -> report, the reports themselves, knowledge base, about, account."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..case.schema import NgsTest
from ..errors import Her2scopeError
from ..knowledge import load_knowledge
from ..knowledge.guidance import load_guidance
from ..knowledge.trials import load_trials
from ..registry.rows import RowRejected, check_genes_covered
from ..report.html import render_pdf
from .auth import csrf_protect, page_user, safe_next, session_of, state
from .deps import CHOICES, invalid_choices, pdf_available, stored_report
from .reports import MAX_KEPT_UPLOAD, StoredReport
from .security import cookie_header, document_csp, new_session
from .services import CaseRejected, annotate_upload, report_from_case_data, report_from_upload
from .templating import render
from .uploads import UploadRejected, private_folder, save_upload, scrubbed

router = APIRouter(include_in_schema=False)

def _set_session(response: Response, request: Request, session) -> None:
    st = state(request)
    response.headers.append("set-cookie", cookie_header(
        st.settings.session_cookie, st.codec.dumps(session), max_age=st.settings.session_seconds,
        secure=st.settings.secure_cookies))


@router.get("/healthz")
def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/"):
    return render(request, "login.html", next=safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def login(request: Request, username: str = Form(..., max_length=128), password: str = Form(..., max_length=1024),
          next: str = Form("/")):
    st = state(request)
    client = f"ip:{request.client.host if request.client else '-'}"
    keys = (f"user:{username.lower()}", client)
    if st.throttle.blocked(*keys):
        return render(request, "login.html", status=429, next=safe_next(next),
                      error="too many failed attempts; wait 15 minutes or ask an administrator")
    user = st.registry.authenticate(username, password)
    if user is None:
        st.throttle.failed(*keys)
        return render(request, "login.html", status=401, next=safe_next(next),
                      error="unknown user name or wrong password")
    st.throttle.succeeded(keys[0])
    sid = st.registry.start_session(user, st.settings.session_seconds)
    response = RedirectResponse(safe_next(next), status_code=303)
    _set_session(response, request, new_session(user, sid))   # a new session (and CSRF token) at login
    return response


@router.post("/logout", dependencies=[Depends(csrf_protect)])
def logout(request: Request):
    st = state(request)
    session = session_of(request)
    if session is not None and session.sid:
        st.registry.end_session(session.sid)       # ended on the server: a copied cookie is dead too
    response = RedirectResponse("/login", status_code=303)
    response.headers.append("set-cookie", cookie_header(st.settings.session_cookie, "", max_age=0,
                                                        secure=st.settings.secure_cookies))
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user=Depends(page_user)):
    st = state(request)
    worklists = st.registry.worklist_overview(user, shown=0, pending_days=st.settings.pending_days)
    return render(request, "home.html", worklists=worklists)


# ---- upload -> annotation + report -------------------------------------------------------------

@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, user=Depends(page_user)):
    return render(request, "upload.html", choices=CHOICES, error=None, form={})


@router.post("/upload", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def upload(request: Request, user=Depends(page_user), file: UploadFile = File(...),
           histology: str = Form(...), stage: str = Form(...), region: str = Form(...),
           prior_lines: int = Form(0, ge=0, le=15), sample_type: str = Form("tissue"),
           build: str = Form(""), sample: str = Form("", max_length=128), assay: str = Form("", max_length=200),
           case_id: str = Form("", max_length=64), genes_covered: str = Form("", max_length=2000)):
    st = state(request)
    form = {"histology": histology, "stage": stage, "region": region, "prior_lines": prior_lines,
            "sample_type": sample_type, "build": build, "sample": sample, "assay": assay, "case_id": case_id,
            "genes_covered": genes_covered}

    def again(status: int, message: str):
        return render(request, "upload.html", status=status, choices=CHOICES, error=message, form=form)

    invalid = invalid_choices(build=build, sample_type=sample_type)
    try:
        genes = check_genes_covered(genes_covered)
    except RowRejected as exc:
        genes, invalid = None, "; ".join(filter(None, (invalid, exc.reason)))
    if invalid:
        return again(422, invalid)
    with private_folder() as tmp:
        folder = Path(tmp)
        try:
            with scrubbed(folder):
                saved = save_upload(file.file, file.filename, st.settings.max_upload_bytes, folder,
                                    build or None)
                annotation = annotate_upload(saved, build or None)
                built = report_from_upload(
                    saved, {"histology": histology, "stage": stage, "region": region, "prior_lines": prior_lines},
                    case_id=case_id or "UPLOAD", sample_type=sample_type, assay=assay or None,
                    sample=sample or None, build=build or None, genes_covered=genes)
                kept = saved.path.read_bytes() if saved.size <= MAX_KEPT_UPLOAD else None
        except UploadRejected as exc:
            return again(exc.status, exc.message)
        except (Her2scopeError, CaseRejected) as exc:
            return again(422, exc.message)
    key = st.reports.put(StoredReport(
        user.username, time.monotonic(), saved.display_name, built, annotation, kept, saved.display_name,
        {"sample_type": sample_type, "assay": assay or None, "build": build or None, "sample": sample or None,
         "histology": histology, "stage": stage, "region": region, "genes_covered": genes}))
    return RedirectResponse(f"/reports/{key}/view", status_code=303)


# ---- case form -> report -----------------------------------------------------------------------

def _case_from_form(f: dict) -> dict:
    clinical = {k: f[k] for k in ("histology", "stage", "region") if f.get(k)}
    clinical["prior_lines"] = f.get("prior_lines") or 0
    clinical["prior_her2_adc"] = f.get("prior_her2_adc") == "on"
    clinical["prior_her2_tki"] = f.get("prior_her2_tki") == "on"
    clinical["brain_metastases"] = f.get("brain_metastases") or "unknown"
    if f.get("brain_mri_done") in ("yes", "no"):
        clinical["brain_mri_done"] = f["brain_mri_done"] == "yes"
    if f.get("diagnosis_date"):
        clinical["diagnosis_date"] = f["diagnosis_date"]
    case: dict = {"case_id": f.get("case_id") or "CASE", "clinical": clinical}
    variants = [v.strip() for v in (f.get("variants") or "").splitlines() if v.strip()]
    if variants or f.get("ngs_done") == "on" or f.get("lab_call"):
        ngs: dict = {"sample_type": f.get("sample_type") or "tissue", "variants": variants}
        for k in ("assay", "date"):
            if f.get(k):
                ngs[k] = f[k]
        genes = NgsTest.gene_list(f.get("genes_covered"))
        if genes is not None:
            ngs["genes_covered"] = genes
        if f.get("tumour_content"):
            ngs["tumour_content"] = f["tumour_content"]
        if f.get("lab_call"):
            ngs["copy_number"] = {"lab_call": f["lab_call"]}
        case["ngs"] = [ngs]
    if f.get("ihc_score"):
        case["ihc"] = {"score": f["ihc_score"], "scoring_system": f.get("ihc_system") or "not stated"}
    if f.get("ish_ratio") or f.get("ish_copies"):
        case["ish"] = {k2: f[k] for k, k2 in (("ish_ratio", "her2_cep17_ratio"), ("ish_copies", "mean_her2_copies"))
                       if f.get(k)}
    return case


@router.get("/case", response_class=HTMLResponse)
def case_page(request: Request, user=Depends(page_user)):
    return render(request, "case.html", choices=CHOICES, error=None, form={})


@router.post("/case", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
async def case_submit(request: Request, user=Depends(page_user)):
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        built = await run_in_threadpool(report_from_case_data, _case_from_form(form))
    except (Her2scopeError, CaseRejected) as exc:
        return render(request, "case.html", status=422, choices=CHOICES, error=exc.message, form=form)
    st = state(request)
    key = st.reports.put(StoredReport(user.username, time.monotonic(), built.report.case.case_id, built))
    return RedirectResponse(f"/reports/{key}/view", status_code=303)


# ---- reports (owner only) ---------------------------------------------------------------------

@router.get("/reports/{key}/view", response_class=HTMLResponse)
def report_view(request: Request, key: str, user=Depends(page_user)):
    item = stored_report(request, key, user)
    return render(request, "report.html", key=key, item=item, d=item.built.data, ann=item.annotation,
                  pdf=pdf_available(),
                  base=f"/reports/{key}", error=None)


@router.get("/reports/{key}/document")
def report_document(request: Request, key: str, user=Depends(page_user)):
    """The library's self-contained report, shown in a sandboxed frame of the view page."""
    html = stored_report(request, key, user).built.html
    return HTMLResponse(html, headers={"content-security-policy": document_csp(html, framable=True),
                                       "x-frame-options": "SAMEORIGIN"})


@router.get("/reports/{key}/report.html")
def report_download_html(request: Request, key: str, user=Depends(page_user)):
    html = stored_report(request, key, user).built.html
    return HTMLResponse(html, headers={"content-security-policy": document_csp(html),
                                       "content-disposition": 'attachment; filename="her2scope-report.html"'})


@router.get("/reports/{key}/report.json")
def report_download_json(request: Request, key: str, user=Depends(page_user)):
    return JSONResponse(stored_report(request, key, user).built.data,
                        headers={"content-disposition": 'attachment; filename="her2scope-report.json"'})


@router.get("/reports/{key}/report.fhir.json")
def report_download_fhir(request: Request, key: str, user=Depends(page_user)):
    return JSONResponse(stored_report(request, key, user).built.fhir, media_type="application/fhir+json",
                        headers={"content-disposition": 'attachment; filename="her2scope-report.fhir.json"'})


@router.get("/reports/{key}/report.pdf")
def report_download_pdf(request: Request, key: str, user=Depends(page_user)):
    item = stored_report(request, key, user)
    with tempfile.TemporaryDirectory(prefix="her2scope-pdf-") as tmp:
        path = Path(tmp) / "report.pdf"
        render_pdf(item.built.report, str(path))
        data = path.read_bytes()
    return Response(data, media_type="application/pdf",
                    headers={"content-disposition": 'attachment; filename="her2scope-report.pdf"'})


# ---- knowledge base ---------------------------------------------------------------------------

@router.get("/knowledge", response_class=HTMLResponse)
def knowledge(request: Request, user=Depends(page_user)):
    kb, guidance, trials = load_knowledge(), load_guidance(), load_trials()
    return render(request, "knowledge.html", kb=kb, guidance=guidance, trials=trials,
                  sources={**kb.sources, **guidance.sources, **trials.sources})


# ---- about HER2-mutant NSCLC ------------------------------------------------------------------

@router.get("/about", response_class=HTMLResponse)
def about(request: Request, user=Depends(page_user)):
    figs = state(request).figures.get(wait=0.0)
    return render(request, "about.html", figs=figs)


@router.get("/about/figures/{name}")
def about_figure(request: Request, name: str, user=Depends(page_user)):
    figs = state(request).figures.get(wait=0.0)
    if figs is None or name not in figs.images:
        raise HTTPException(404, "figure not (yet) available")
    data, media = figs.images[name]
    return Response(data, media_type=media, headers={"cache-control": "private, max-age=3600"})


@router.get("/about/cohort-report")
def about_cohort_report(request: Request, user=Depends(page_user)):
    figs = state(request).figures.get(wait=0.0)
    if figs is None or not figs.cohort_html:
        raise HTTPException(404, "the cohort report is being prepared (or its extra is not installed)")
    return HTMLResponse(figs.cohort_html, headers={"content-security-policy": document_csp(figs.cohort_html)})
