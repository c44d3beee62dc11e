"""Registry pages: patients (paginated, searched, sorted, filtered), a patient's page - which is
the patient's HER2 report, made by the library from the stored tests and the clinical data
the registry holds - with its clinical data, tests, retraction, re-interpretation, decisions
and timeline; imports, worklists (paginated, CSV export), the audit log.

Every read of a patient's data is a registry call, which writes the audit log itself; the
registry also enforces the roles. Every form that changes something answers with a redirect
to a page (POST-redirect-GET), so a reload never submits it again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..errors import Her2scopeError
from ..registry import DECISION_KINDS, WORKLISTS
from ..registry import worklists as worklist_definitions
from ..registry.clinical import BRAIN, HISTOLOGIES, REGIONS, STAGES, THERAPIES, check_update
from ..registry.patient_ops import PATIENT_SORTS, STATUSES, WORKLIST_SORTS
from ..registry.rows import RowRejected, check_genes_covered
from ..report.html import render_pdf
from .auth import csrf_protect, page_user, state
from .deps import CHOICES, invalid_choices, pdf_available, stored_report
from .security import document_csp
from .services import report_for_patient
from .templating import render
from .uploads import UploadRejected, private_folder, save_import, save_upload, scrubbed

router = APIRouter(include_in_schema=False)

PER_PAGE = (25, 50, 100, 200)
OVERVIEW_ROWS = 10


def worklist_descriptions() -> dict[str, str]:
    out = {}
    for name in WORKLISTS:
        doc = (getattr(getattr(worklist_definitions, name, None), "__doc__", None) or "").strip()
        out[name] = " ".join(doc.split("\n\n")[0].split())
    return out


def _see(path: str, **params) -> RedirectResponse:
    """303 See Other to a page (POST-redirect-GET)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return RedirectResponse(path + (f"?{query}" if query else ""), status_code=303)


def _patient_url(patient_id: str) -> str:
    return f"/patients/{quote(patient_id, safe='')}"


def _query_builder(request: Request, path: str):
    """qs(page=3) -> the current list's URL with one parameter changed (links need no script)."""
    current = dict(request.query_params)

    def qs(**changes) -> str:
        merged = {**current, **{k: v for k, v in changes.items()}}
        merged = {k: v for k, v in merged.items() if v not in (None, "") and k not in ("import", "again")}
        return path + ("?" + urlencode(merged) if merged else "")
    return qs


def _paging(page: int, per_page: int) -> tuple[int, int]:
    return max(1, page), per_page if per_page in PER_PAGE else PER_PAGE[1]


# ---- patients list -------------------------------------------------------------------------------

@router.get("/patients", response_class=HTMLResponse)
def patients(request: Request, user=Depends(page_user), q: str = "", status: str = "", advanced: str = "",
             sort: str = "patient", dir: str = "asc", page: int = 1, per_page: int = 50):
    reg = state(request).registry
    import_id = request.query_params.get("import")
    page, per_page = _paging(page, per_page)
    sort = sort if sort in PATIENT_SORTS else "patient"
    status = status if status in STATUSES else ""
    adv = {"yes": True, "no": False}.get(advanced)
    result = reg.patients_page(user, q=q[:64], status=status or None, advanced=adv, sort=sort,
                               descending=dir == "desc", page=page, per_page=per_page)
    report = None
    if import_id and import_id.isdigit():
        report = reg.import_report(int(import_id), user)
        if request.query_params.get("again"):
            report = type(report)(**{**report.__dict__, "already_imported": True})
    return render(request, "patients.html", result=result, report=report, error=None, choices=CHOICES,
                  f={"q": q, "status": status, "advanced": advanced if adv is not None else "", "sort": sort,
                     "dir": "desc" if dir == "desc" else "asc", "per_page": per_page},
                  statuses=STATUSES, sorts=PATIENT_SORTS, per_pages=PER_PAGE, qs=_query_builder(request, "/patients"))


@router.post("/patients/import", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def patients_import(request: Request, user=Depends(page_user), file: UploadFile = File(...)):
    reg = state(request).registry
    with private_folder() as tmp:
        folder = Path(tmp)
        try:
            with scrubbed(folder):
                saved = save_import(file.file, file.filename, state(request).settings.max_upload_bytes, folder)
                if saved.kind == "FHIR":
                    report = reg.import_fhir(json.loads(saved.path.read_text("utf-8")), user,
                                             source=saved.display_name)
                else:
                    report = reg.import_csv(saved.path, user)
        except Her2scopeError as exc:
            if exc.code == "permission_denied":
                raise
            return render(request, "patients.html", status=422, result=reg.patients_page(user), report=None,
                          error=exc.message, choices=CHOICES, f={"q": "", "status": "", "advanced": "", "sort": "patient",
                                                "dir": "asc", "per_page": 50},
                          statuses=(), sorts=(), per_pages=PER_PAGE, qs=_query_builder(request, "/patients"))
    return _see("/patients", **{"import": report.batch_id, "again": 1 if report.already_imported else None})


@router.post("/patients/new", dependencies=[Depends(csrf_protect)])
def patient_new(request: Request, user=Depends(page_user), patient_id: str = Form(..., max_length=64),
                histology: str = Form(""), stage: str = Form(""), region: str = Form(""),
                diagnosis_date: str = Form("")):
    pid = state(request).registry.create_patient(patient_id, user, histology=histology or None,
                                                 stage=stage or None, region=region or None,
                                                 diagnosis_date=diagnosis_date or None)
    return _see(_patient_url(pid), done="created")


# ---- one patient: the report, clinical data, tests, decisions ----------------------------------

def _flash(request: Request, detail) -> str | None:
    params = request.query_params
    if params.get("attached", "").isdigit():
        t = next((t for t in detail.tests if t.test_id == int(params["attached"]) and t.result), None)
        if t is not None:
            skipped = len((t.result.picture or {}).get("errors") or ())
            note = f"; {skipped} record(s) not interpreted (listed with the result)" if skipped else ""
            return f"result attached from {t.result.source_file or 'the file'}: {t.result.summary}{note}"
    return {"created": "patient created", "clinical": "clinical data saved (audited)",
            "retracted": "result retracted: kept on the page, no longer counted",
            "reinterpreted": "results re-interpreted with the current knowledge base",
            "decided": "decision recorded", "unchanged": "nothing changed"}.get(params.get("done", ""))


def _patient_page(request: Request, patient_id: str, user, *, error: str | None = None, status: int = 200):
    reg = state(request).registry
    pc = reg.patient_case(patient_id, user)
    built = report_for_patient(pc.case, reg.options) if pc.case is not None else None
    return render(request, "patient.html", status=status, p=pc.detail, pc=pc, c=pc.detail.clinical,
                  d=built.data if built else None, base=f"{_patient_url(pc.detail.patient_id)}/report",
                  kinds=DECISION_KINDS, message=None if error else _flash(request, pc.detail), error=error,
                  pdf=pdf_available(), choices={"histologies": HISTOLOGIES, "stages": STAGES, "regions": REGIONS,
                                                 "therapies": THERAPIES, "brain": BRAIN})


def _refused(request: Request, patient_id: str, user, exc):
    """The registry refused a form on the patient's page: the page again with its message (422).
    A permission or lookup failure is not the form's fault: it goes to the app's handlers."""
    if exc.code in ("permission_denied", "not_found"):
        raise exc
    return _patient_page(request, patient_id, user, error=exc.message, status=422)


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient(request: Request, patient_id: str, user=Depends(page_user)):
    return _patient_page(request, patient_id, user)


def _built(request: Request, patient_id: str, user):
    reg = state(request).registry
    pc = reg.patient_case(patient_id, user)
    if pc.case is None:
        raise HTTPException(409, "no report yet: " + (pc.problem or "record " + ", ".join(pc.missing)
                                                      + " on the patient's page"))
    return report_for_patient(pc.case, reg.options), pc.detail.patient_id


@router.get("/patients/{patient_id}/report/document")
def patient_report_document(request: Request, patient_id: str, user=Depends(page_user)):
    html = _built(request, patient_id, user)[0].html
    return HTMLResponse(html, headers={"content-security-policy": document_csp(html, framable=True),
                                       "x-frame-options": "SAMEORIGIN"})


def _attachment(pid: str, ext: str) -> dict:
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in pid)
    return {"content-disposition": f'attachment; filename="her2scope-report-{safe}.{ext}"'}


@router.get("/patients/{patient_id}/report/report.html")
def patient_report_html(request: Request, patient_id: str, user=Depends(page_user)):
    built, pid = _built(request, patient_id, user)
    return HTMLResponse(built.html, headers={"content-security-policy": document_csp(built.html),
                                             **_attachment(pid, "html")})


@router.get("/patients/{patient_id}/report/report.json")
def patient_report_json(request: Request, patient_id: str, user=Depends(page_user)):
    built, pid = _built(request, patient_id, user)
    return JSONResponse(built.data, headers=_attachment(pid, "json"))


@router.get("/patients/{patient_id}/report/report.fhir.json")
def patient_report_fhir(request: Request, patient_id: str, user=Depends(page_user)):
    built, pid = _built(request, patient_id, user)
    return JSONResponse(built.fhir, media_type="application/fhir+json", headers=_attachment(pid, "fhir.json"))


@router.get("/patients/{patient_id}/report/report.pdf")
def patient_report_pdf(request: Request, patient_id: str, user=Depends(page_user)):
    built, pid = _built(request, patient_id, user)
    buf = io.BytesIO()
    render_pdf(built.report, buf)
    return Response(buf.getvalue(), media_type="application/pdf", headers=_attachment(pid, "pdf"))


@router.post("/patients/{patient_id}/clinical", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def clinical(request: Request, patient_id: str, user=Depends(page_user), histology: str = Form(""),
             stage: str = Form(""), diagnosis_date: str = Form(""), region: str = Form(""),
             prior_therapies: list[str] = Form([]), prior_none: str = Form(""), brain_metastases: str = Form("")):
    try:
        if prior_none and prior_therapies:
            raise _FormError("prior therapy: 'none (first line)' and a regimen cannot both be ticked")
        therapies = [] if prior_none else (prior_therapies or None)
        clear = tuple(name for name, value in (("region", region), ("prior_therapies", therapies),
                                               ("brain_metastases", brain_metastases)) if value in ("", None))
        upd = check_update(histology=histology or None, stage=stage or None, diagnosis_date=diagnosis_date or None,
                           region=region or None, prior_therapies=therapies, brain_metastases=brain_metastases or None,
                           clear=clear)
        changes = state(request).registry.update_clinical(patient_id, upd, user)
    except _FormError as exc:
        return _patient_page(request, patient_id, user, error=str(exc), status=422)
    except Her2scopeError as exc:
        return _refused(request, patient_id, user, exc)
    return _see(_patient_url(patient_id), done="clinical" if changes else "unchanged")


class _FormError(Exception):
    pass


@router.post("/patients/{patient_id}/results", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def attach_result(request: Request, patient_id: str, user=Depends(page_user), file: UploadFile = File(...),
                  sample_type: str = Form("tissue"), assay: str = Form("", max_length=200),
                  build: str = Form(""), resulted: str = Form(""), sample: str = Form("", max_length=128),
                  genes_covered: str = Form("", max_length=2000)):
    st = state(request)
    # Checked before the file is read: each bad field gets its own message (a 422, never a 500).
    invalid = invalid_choices(build=build, sample_type=sample_type)
    try:
        day = dt.date.fromisoformat(resulted) if resulted else None
    except ValueError:
        day, invalid = None, "; ".join(filter(None, (invalid, "resulted: a date YYYY-MM-DD")))
    try:
        genes = check_genes_covered(genes_covered)
    except RowRejected as exc:
        genes, invalid = None, "; ".join(filter(None, (invalid, exc.reason)))
    if invalid:
        return _patient_page(request, patient_id, user, error=invalid, status=422)
    with private_folder() as tmp:
        folder = Path(tmp)
        try:
            with scrubbed(folder):
                saved = save_upload(file.file, file.filename, st.settings.max_upload_bytes, folder,
                                    build or None)
                res = st.registry.attach_ngs_result(patient_id, saved.path, user, sample_type=sample_type,
                                                    assay=assay or None, build=build or None, resulted=day,
                                                    sample=sample or None, genes_covered=genes)
        except UploadRejected as exc:
            return _patient_page(request, patient_id, user, error=exc.message, status=exc.status)
        except Her2scopeError as exc:
            return _refused(request, patient_id, user, exc)
    return _see(_patient_url(patient_id), attached=res.test_id)


@router.post("/patients/{patient_id}/tests/{test_id}/retract", response_class=HTMLResponse,
             dependencies=[Depends(csrf_protect)])
def retract(request: Request, patient_id: str, test_id: int, user=Depends(page_user),
            reason: str = Form("", max_length=2000)):
    try:
        state(request).registry.retract_test(patient_id, test_id, reason, user)
    except Her2scopeError as exc:
        return _refused(request, patient_id, user, exc)
    return _see(_patient_url(patient_id), done="retracted")


@router.post("/patients/{patient_id}/reinterpret", dependencies=[Depends(csrf_protect)])
def reinterpret(request: Request, patient_id: str, user=Depends(page_user)):
    state(request).registry.reinterpret(patient_id, user)
    return _see(_patient_url(patient_id), done="reinterpreted")


@router.post("/patients/{patient_id}/decisions", dependencies=[Depends(csrf_protect)])
def decision(request: Request, patient_id: str, user=Depends(page_user), kind: str = Form(...),
             detail: str = Form("", max_length=4000)):
    try:
        state(request).registry.record_decision(patient_id, kind, detail, user)
    except Her2scopeError as exc:
        return _refused(request, patient_id, user, exc)
    return RedirectResponse(f"{_patient_url(patient_id)}?done=decided#decisions", status_code=303)


# ---- an Upload report -> a patient ---------------------------------------------------------------

@router.post("/reports/{key}/attach", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def attach_upload(request: Request, key: str, user=Depends(page_user), patient_id: str = Form(..., max_length=64),
                  create: str = Form("")):
    """Attach the file behind an Upload report to a registry patient (an existing one, or a new
    pseudonymous one made with the upload form's histology, stage and region)."""
    st = state(request)
    item = stored_report(request, key, user)
    pid = patient_id.strip()

    def again(message: str, status: int = 422):
        return render(request, "report.html", status=status, key=key, item=item, d=item.built.data,
                      ann=item.annotation, pdf=pdf_available(), base=f"/reports/{key}", error=message)

    if item.upload is None:
        return again("this upload is too large to be kept for attaching: attach the file on the patient's page")
    opts = item.upload_options or {}
    with private_folder() as tmp:
        folder = Path(tmp)
        path = folder / (item.upload_name or "upload")
        path.write_bytes(item.upload)
        try:
            with scrubbed(folder):
                if create:
                    pid = st.registry.create_patient(pid, user, histology=opts.get("histology"),
                                                     stage=opts.get("stage"), region=opts.get("region"))
                res = st.registry.attach_ngs_result(pid, path, user, sample_type=opts.get("sample_type", "tissue"),
                                                    assay=opts.get("assay"), build=opts.get("build"),
                                                    sample=opts.get("sample"), genes_covered=opts.get("genes_covered"))
        except Her2scopeError as exc:
            if exc.code == "permission_denied":
                raise
            hint = " (tick 'create a new patient' to make one)" if exc.code == "not_found" else ""
            return again(exc.message + hint, 404 if exc.code == "not_found" else 422)
    item.attached_to = pid
    return _see(_patient_url(pid), attached=res.test_id)


# ---- worklists -----------------------------------------------------------------------------------

@router.get("/worklists", response_class=HTMLResponse)
def worklists(request: Request, user=Depends(page_user)):
    st = state(request)
    lists = st.registry.worklist_overview(user, shown=OVERVIEW_ROWS, pending_days=st.settings.pending_days)
    turnaround = st.registry.turnaround(user)
    cols = list(dict.fromkeys(k for row in turnaround.values() if isinstance(row, dict) for k in row))
    return render(request, "worklists.html", lists=lists, descriptions=worklist_descriptions(), shown=OVERVIEW_ROWS,
                  turnaround={k: v for k, v in turnaround.items() if isinstance(v, dict)}, ta_cols=cols,
                  yield_=st.registry.her2_yield(user), pending_days=st.settings.pending_days)


def _worklist_name(name: str) -> str:
    if name not in WORKLISTS:
        raise HTTPException(404, f"no worklist {name!r}")
    return name


@router.get("/worklists/{name}.csv")
def worklist_csv(request: Request, name: str, user=Depends(page_user), q: str = "", sort: str = "patient",
                 dir: str = "asc"):
    st = state(request)
    rows = st.registry.export_worklist(_worklist_name(name), user, q=q[:64],
                                       sort=sort if sort in WORKLIST_SORTS else "patient",
                                       descending=dir == "desc", pending_days=st.settings.pending_days)
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["patient_id", "reason", "since", "days", "test_id"])
    for r in rows:
        out.writerow([_csv_safe(r.patient_id), _csv_safe(r.reason), r.since or "",
                      "" if r.days is None else r.days, r.test_id or ""])
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="her2scope-{name}.csv"'})


def _csv_safe(text: str) -> str:
    """No spreadsheet formula injection: a cell never starts with = + - @ (OWASP CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@router.get("/worklists/{name}", response_class=HTMLResponse)
def worklist(request: Request, name: str, user=Depends(page_user), q: str = "", sort: str = "patient",
             dir: str = "asc", page: int = 1, per_page: int = 50):
    st = state(request)
    page, per_page = _paging(page, per_page)
    sort = sort if sort in WORKLIST_SORTS else "patient"
    result = st.registry.worklist_page(_worklist_name(name), user, q=q[:64], sort=sort, descending=dir == "desc",
                                       page=page, per_page=per_page, pending_days=st.settings.pending_days)
    return render(request, "worklist.html", list_name=name, result=result, description=worklist_descriptions()[name],
                  f={"q": q, "sort": sort, "dir": "desc" if dir == "desc" else "asc", "per_page": per_page},
                  sorts=WORKLIST_SORTS, per_pages=PER_PAGE, qs=_query_builder(request, f"/worklists/{name}"))


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, user=Depends(page_user)):
    entries = state(request).registry.audit_log(user, limit=500)
    return render(request, "audit.html", entries=entries)
