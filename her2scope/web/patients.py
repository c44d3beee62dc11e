"""Registry pages: patients, a patient's page with its timeline, imports, attaching results,
decisions, worklists, the audit log. Every read of a patient's data is a registry call, which
writes the audit log itself; the registry also enforces the roles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from .app import render
from .auth import csrf_protect, page_user, state
from .uploads import private_folder, save_import, save_upload, scrubbed

router = APIRouter(include_in_schema=False)


def worklist_descriptions() -> dict[str, str]:
    from ..registry import WORKLISTS
    from ..registry import worklists as module

    out = {}
    for name in WORKLISTS:
        doc = (getattr(getattr(module, name, None), "__doc__", None) or "").strip()
        out[name] = " ".join(doc.split("\n\n")[0].split())
    return out


@router.get("/patients", response_class=HTMLResponse)
def patients(request: Request, user=Depends(page_user)):
    rows = state(request).registry.list_patients(user)
    return render(request, "patients.html", patients=rows, report=None, error=None)


@router.post("/patients/import", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def patients_import(request: Request, user=Depends(page_user), file: UploadFile = File(...)):
    from ..errors import Her2scopeError

    reg = state(request).registry
    with private_folder() as tmp:
        folder = Path(tmp)
        try:
            with scrubbed(folder):
                saved = save_import(file.file, file.filename, state(request).settings.max_upload_bytes, folder)
                if saved.kind == "FHIR":
                    import json

                    report = reg.import_fhir(json.loads(saved.path.read_text("utf-8")), user,
                                             source=saved.display_name)
                else:
                    report = reg.import_csv(saved.path, user)
        except Her2scopeError as exc:
            if exc.code == "permission_denied":
                raise
            return render(request, "patients.html", status=422, patients=reg.list_patients(user), report=None,
                          error=exc.message)
    return render(request, "patients.html", patients=reg.list_patients(user), report=report, error=None)


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient(request: Request, patient_id: str, user=Depends(page_user)):
    from ..registry import DECISION_KINDS

    detail = state(request).registry.patient_detail(patient_id, user)
    return render(request, "patient.html", p=detail, kinds=DECISION_KINDS, message=None, error=None)


def _patient_again(request, patient_id, user, *, message=None, error=None, status=200):
    from ..registry import DECISION_KINDS

    detail = state(request).registry.patient_detail(patient_id, user)
    return render(request, "patient.html", status=status, p=detail, kinds=DECISION_KINDS, message=message,
                  error=error)


@router.post("/patients/{patient_id}/results", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def attach_result(request: Request, patient_id: str, user=Depends(page_user), file: UploadFile = File(...),
                  sample_type: str = Form("tissue"), assay: str = Form("", max_length=200),
                  build: str = Form(""), resulted: str = Form(""), sample: str = Form("", max_length=128)):
    from ..errors import Her2scopeError
    from .pages import invalid_choices
    from .uploads import UploadRejected

    st = state(request)
    # Checked before the file is read: each bad field gets its own message (a 422, never a 500).
    invalid = invalid_choices(build=build, sample_type=sample_type)
    try:
        day = dt.date.fromisoformat(resulted) if resulted else None
    except ValueError:
        day, invalid = None, "; ".join(filter(None, (invalid, "resulted: a date YYYY-MM-DD")))
    if invalid:
        return _patient_again(request, patient_id, user, error=invalid, status=422)
    with private_folder() as tmp:
        folder = Path(tmp)
        try:
            with scrubbed(folder):
                saved = save_upload(file.file, file.filename, st.settings.max_upload_bytes, folder,
                                    build or None)
                res = st.registry.attach_ngs_result(patient_id, saved.path, user, sample_type=sample_type,
                                                    assay=assay or None, build=build or None, resulted=day,
                                                    sample=sample or None)
        except UploadRejected as exc:
            return _patient_again(request, patient_id, user, error=exc.message, status=exc.status)
        except Her2scopeError as exc:
            if exc.code in ("permission_denied", "not_found"):
                raise
            return _patient_again(request, patient_id, user, error=exc.message, status=422)
    skipped = len((res.picture or {}).get("errors") or ())
    note = f"; {skipped} record(s) not interpreted (listed with the result)" if skipped else ""
    return _patient_again(request, patient_id, user,
                          message=f"result attached from {saved.display_name}: {res.summary}{note}")


@router.post("/patients/{patient_id}/decisions", dependencies=[Depends(csrf_protect)])
def decision(request: Request, patient_id: str, user=Depends(page_user), kind: str = Form(...),
             detail: str = Form("", max_length=4000)):
    from ..errors import Her2scopeError

    try:
        state(request).registry.record_decision(patient_id, kind, detail, user)
    except Her2scopeError as exc:
        if exc.code in ("permission_denied", "not_found"):
            raise
        return _patient_again(request, patient_id, user, error=exc.message, status=422)
    return RedirectResponse(f"/patients/{patient_id}#decisions", status_code=303)


@router.get("/worklists", response_class=HTMLResponse)
def worklists(request: Request, user=Depends(page_user)):
    st = state(request)
    lists = st.registry.worklists(user, pending_days=st.settings.pending_days)
    turnaround = st.registry.turnaround(user)
    cols = list(dict.fromkeys(k for row in turnaround.values() if isinstance(row, dict) for k in row))
    return render(request, "worklists.html", lists=lists, descriptions=worklist_descriptions(),
                  turnaround={k: v for k, v in turnaround.items() if isinstance(v, dict)}, ta_cols=cols,
                  yield_=st.registry.her2_yield(user), pending_days=st.settings.pending_days)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, user=Depends(page_user)):
    entries = state(request).registry.audit_log(user, limit=500)
    return render(request, "audit.html", entries=entries)
