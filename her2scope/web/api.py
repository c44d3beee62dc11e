"""The REST API (``/api/v1``), described by FastAPI's OpenAPI at ``/api/v1/openapi.json``.

Every call needs ``Authorization: Bearer <token>`` (tokens: Account page, or the registry's
``issue_api_token``). Cookies are not accepted here, so the API needs no CSRF token.
Roles are the registry's and are enforced by it (403). Patient reads are audited by it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field, StringConstraints
from starlette.concurrency import run_in_threadpool

from ..case.schema import Case
from ..knowledge import load_knowledge
from ..registry import DECISION_KINDS, WORKLISTS
from ..registry.patient_ops import MAX_PER_PAGE, PATIENT_SORTS, STATUSES
from ..registry.rows import RowRejected, check_genes_covered
from .auth import api_user, optional_page_user, state
from .security import document_csp
from .schemas import (
    AnnotationResponse,
    DecisionRecorded,
    ImportReportResponse,
    KnowledgeVariantsResponse,
    PatientDetailResponse,
    PatientPage,
    PatientSummaryItem,
    ReportDocument,
    ResultItem,
    TestItem,
    TokenItem,
    Turnaround,
    WorklistRowItem,
    Worklists,
    YieldResponse,
)
from .services import Annotation, annotate_expressions, annotate_upload, report_for_patient, report_from_case
from .uploads import private_folder, save_import, save_upload, scrubbed

# Every JSON answer is described by a model of web/schemas.py and written with exactly the keys
# the library produced (exclude_unset: nothing added, nothing renamed; an unknown key is an error).
EXACT: dict[str, Any] = {"response_model_exclude_unset": True}
COMMON: dict[int | str, dict[str, Any]] = {
    401: {"description": "no or invalid API token"},
    403: {"description": "the user's role does not allow this"},
    413: {"description": "request body over the upload limit"},
    422: {"description": "invalid input (the message names the field or record)"},
}
router = APIRouter(responses=COMMON)

Expression = Annotated[str, StringConstraints(min_length=1, max_length=300)]
BuildName = Literal["GRCh37", "GRCh38"]
MutationStatusQuery = Literal[STATUSES]  # type: ignore[valid-type]


class HgvsRequest(BaseModel):
    expressions: list[Expression] = Field(..., min_length=1, max_length=1000, examples=[[
        "NM_004448.4:c.2313_2324dup", "ERBB2 p.S310F"]])
    build: BuildName | None = Field(None, description="for g. expressions without an accession, e.g. chr17:g.")


class DecisionRequest(BaseModel):
    kind: Literal[DECISION_KINDS]  # type: ignore[valid-type]
    detail: str = Field("", max_length=4000)


def _annotation(a: Annotation) -> dict:
    return a.as_dict()


# ---- annotate and report ---------------------------------------------------------------------

@router.post("/annotate", response_model=AnnotationResponse, **EXACT, tags=["annotate"],
             responses={415: {"description": "not VCF, BCF, MAF or HGVS text"}})
def annotate_file(request: Request, user=Depends(api_user),
                  file: UploadFile = File(..., description="VCF (.vcf/.vcf.gz), BCF, MAF or HGVS text"),
                  build: BuildName | None = Form(None)):
    """Annotate every ERBB2 variant of an uploaded file (read by content)."""
    with private_folder() as tmp:
        folder = Path(tmp)
        with scrubbed(folder):
            saved = save_upload(file.file, file.filename, state(request).settings.max_upload_bytes, folder,
                                build)
            return _annotation(annotate_upload(saved, build))


INLINE_BATCH = 8   # up to this many expressions run on the event loop (sub-millisecond each)


@router.post("/annotate/hgvs", response_model=AnnotationResponse, **EXACT, tags=["annotate"])
async def annotate_hgvs(body: HgvsRequest, user=Depends(api_user)):
    """Name and classify HGVS expressions (c., p., g.; NM_004448.4 / NP_004439.2 / NC_000017)."""
    if len(body.expressions) <= INLINE_BATCH:
        return _annotation(annotate_expressions(list(body.expressions), body.build))
    return _annotation(await run_in_threadpool(annotate_expressions, list(body.expressions), body.build))


@router.post("/report", tags=["report"], response_model=None,
             responses={200: {"description": "the report (her2scope-report/1 JSON, FHIR R4 Bundle, or HTML)",
                              "model": ReportDocument, "content": {"text/html": {}}}})
def report(case: Case, user=Depends(api_user),
           format: Literal["json", "fhir", "html"] = Query("json")):
    """A HER2 report for a case (the case-file schema). NGS variants are given as HGVS text;
    server file names are refused (upload files to /annotate)."""
    return _report_response(report_from_case(case), format)


def _report_response(built, format: str):
    if format == "html":
        return HTMLResponse(built.html, headers={"content-security-policy": document_csp(built.html)})
    return JSONResponse(built.fhir if format == "fhir" else built.data)


# ---- registry --------------------------------------------------------------------------------

@router.get("/patients", tags=["patients"], response_model=list[PatientSummaryItem], **EXACT)
def patients(request: Request, user=Depends(api_user)):
    return [p.as_dict() for p in state(request).registry.list_patients(user)]


@router.get("/search/patients", tags=["patients"], response_model=PatientPage, **EXACT)
def search_patients(request: Request, user=Depends(api_user),
                    q: str = Query("", max_length=64, description="part of the pseudonym (case-insensitive)"),
                    status: MutationStatusQuery | None = Query(None, description="HER2 mutation status"),
                    advanced: bool | None = Query(None, description="has an advanced-stage diagnosis"),
                    sort: Literal[PATIENT_SORTS] = Query("patient"),  # type: ignore[valid-type]
                    dir: Literal["asc", "desc"] = Query("asc"),
                    page: int = Query(1, ge=1, le=1_000_000), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
    """One page of patients, searched, filtered and sorted in the database (the patients page's list).
    ``total`` counts every match; ``pages`` = ceil(total / per_page), at least 1."""
    result = state(request).registry.patients_page(user, q=q, status=status, advanced=advanced, sort=sort,
                                                   descending=dir == "desc", page=page, per_page=per_page)
    return {**result.as_dict(), "pages": result.pages}


@router.get("/patients/{patient_id}", tags=["patients"], response_model=PatientDetailResponse, **EXACT,
            responses={404: {"description": "no such patient"}})
def patient(request: Request, patient_id: Annotated[str, StringConstraints(max_length=64)], user=Depends(api_user)):
    """The patient's diagnoses, tests, results, decisions and timeline (audited)."""
    return state(request).registry.patient_detail(patient_id, user).as_dict()


@router.get("/patients/{patient_id}/tests", tags=["tests"], response_model=list[TestItem], **EXACT,
            responses={404: {"description": "no such patient"}})
def patient_tests(request: Request, patient_id: Annotated[str, StringConstraints(max_length=64)],
                  user=Depends(api_user)):
    return [t.as_dict() for t in state(request).registry.patient_detail(patient_id, user).tests]


@router.post("/patients/{patient_id}/tests", tags=["tests"], response_model=ResultItem, **EXACT,
             responses={404: {"description": "no such patient"}, 415: {"description": "not a variant file"}})
def attach_test(request: Request, patient_id: Annotated[str, StringConstraints(max_length=64)],
                user=Depends(api_user), file: UploadFile = File(...),
                sample_type: Literal["tissue", "plasma"] = Form("tissue"), assay: str | None = Form(None, max_length=200),
                build: BuildName | None = Form(None), resulted: dt.date | None = Form(None),
                sample: str | None = Form(None, max_length=128),
                genes_covered: str | None = Form(None, max_length=2000, description=(
                    "the genes the assay covers, ';'-separated; empty = a broad panel that covers ERBB2. "
                    "Without ERBB2 a file with no ERBB2 variant is 'not assessed', not a negative."))):
    """Attach an NGS result file to the patient (interpreted by the engine; clinician or above)."""
    try:
        genes = check_genes_covered(genes_covered)
    except RowRejected as exc:
        raise HTTPException(422, exc.reason) from None
    st = state(request)
    with private_folder() as tmp:
        folder = Path(tmp)
        with scrubbed(folder):
            saved = save_upload(file.file, file.filename, st.settings.max_upload_bytes, folder, build)
            return st.registry.attach_ngs_result(patient_id, saved.path, user, sample_type=sample_type,
                                                 assay=assay, build=build, resulted=resulted,
                                                 sample=sample, genes_covered=genes).as_dict()


@router.get("/patients/{patient_id}/report", tags=["report"], response_model=None,
            responses={200: {"description": "the patient's HER2 report (her2scope-report/1 JSON, FHIR R4 Bundle, "
                                            "or HTML)", "model": ReportDocument, "content": {"text/html": {}}},
                       404: {"description": "no such patient"},
                       409: {"description": "no report yet: the clinical data it needs are not recorded"}})
def patient_report(request: Request, patient_id: Annotated[str, StringConstraints(max_length=64)],
                   user=Depends(api_user), format: Literal["json", "fhir", "html"] = Query("json")):
    """The patient's HER2 report, made from the registry's clinical data and every current test
    (the patient page's report; audited as a view)."""
    reg = state(request).registry
    pc = reg.patient_case(patient_id, user)
    if pc.case is None:
        raise HTTPException(409, "no report yet: " + (pc.problem or "record " + ", ".join(pc.missing)))
    return _report_response(report_for_patient(pc.case, reg.options), format)


@router.post("/patients/{patient_id}/decisions", tags=["patients"], status_code=201,
             response_model=DecisionRecorded, **EXACT, responses={404: {"description": "no such patient"}})
def record_decision(request: Request, patient_id: Annotated[str, StringConstraints(max_length=64)],
                    body: DecisionRequest, user=Depends(api_user)):
    """Record a decision or next step (clinician or above)."""
    state(request).registry.record_decision(patient_id, body.kind, body.detail, user)
    return {"patient_id": patient_id, "kind": body.kind, "recorded": True}


@router.post("/patients/import", tags=["patients"], response_model=ImportReportResponse, **EXACT,
             responses={415: {"description": "not CSV or a FHIR Bundle"}})
def import_file(request: Request, user=Depends(api_user), file: UploadFile = File(...)):
    """Import a CSV (registry template) or a FHIR Bundle (JSON) file (data manager or above).
    Transactional and idempotent; rejected rows are listed with their reason."""
    st = state(request)
    with private_folder() as tmp:
        folder = Path(tmp)
        with scrubbed(folder):
            saved = save_import(file.file, file.filename, st.settings.max_upload_bytes, folder)
            if saved.kind == "FHIR":
                bundle = json.loads(saved.path.read_text("utf-8-sig"))
                return st.registry.import_fhir(bundle, user, source=saved.display_name).as_dict()
            return st.registry.import_csv(saved.path, user).as_dict()


@router.post("/patients/import/fhir", tags=["patients"], response_model=ImportReportResponse, **EXACT)
def import_fhir(request: Request, bundle: dict[str, Any] = Body(..., description="a FHIR R4 Bundle"),
                user=Depends(api_user)):
    """Import a FHIR Bundle given as the request body (data manager or above)."""
    if bundle.get("resourceType") != "Bundle":
        raise HTTPException(422, "resourceType must be Bundle")
    return state(request).registry.import_fhir(bundle, user, source="api").as_dict()


@router.get("/worklists", tags=["worklists"], response_model=Worklists, **EXACT)
def worklists(request: Request, user=Depends(api_user),
              pending_days: int | None = Query(None, ge=0, le=3650),
              today: dt.date | None = Query(None, description="evaluate as of this date (default: today)")):
    st = state(request)
    lists = st.registry.worklists(user, today=today, pending_days=st.settings.pending_days
                                  if pending_days is None else pending_days)
    return {k: [r.as_dict() for r in v] for k, v in lists.items()}


@router.get("/worklists/{name}", tags=["worklists"], response_model=list[WorklistRowItem], **EXACT)
def worklist(request: Request, name: Literal[WORKLISTS], user=Depends(api_user),  # type: ignore[valid-type]
             pending_days: int | None = Query(None, ge=0, le=3650), today: dt.date | None = Query(None)):
    st = state(request)
    lists = st.registry.worklists(user, today=today, names=(name,), pending_days=st.settings.pending_days
                                  if pending_days is None else pending_days)
    return [r.as_dict() for r in lists[name]]


@router.get("/stats/turnaround", tags=["statistics"], response_model=Turnaround, **EXACT)
def turnaround(request: Request, user=Depends(api_user)):
    return state(request).registry.turnaround(user)


@router.get("/stats/her2-yield", tags=["statistics"], response_model=YieldResponse, **EXACT)
def her2_yield(request: Request, user=Depends(api_user)):
    return state(request).registry.her2_yield(user)


@router.get("/knowledge/variants", tags=["knowledge"], response_model=KnowledgeVariantsResponse, **EXACT)
def knowledge_variants(user=Depends(api_user)):
    """The curated ERBB2 variants with their evidence and the sources they cite."""
    kb = load_knowledge()
    used = {c for v in kb.variants.values() for e in v.evidence for c in e.citations}
    return {"knowledge_version": kb.version, "released": kb.released,
            "variants": [{"protein_change": v.protein_change, "hgvs_p": v.hgvs_p, "known_as": list(v.known_as),
                          "oncogenicity": v.oncogenicity, "vicc_codes": list(v.vicc_codes),
                          "evidence": [e.as_dict() for e in v.evidence], "last_reviewed": v.last_reviewed}
                         for v in kb.variants.values()],
            "sources": {k: kb.sources[k] for k in sorted(used) if k in kb.sources}}


# ---- the caller's API tokens -----------------------------------------------------------------

@router.get("/tokens", tags=["tokens"], response_model=list[TokenItem], **EXACT)
def tokens(request: Request, user=Depends(api_user)):
    """The caller's own API tokens, newest first (never the tokens themselves)."""
    return [_token(t) for t in state(request).registry.list_api_tokens(user)]


@router.post("/tokens/{token_id}/revoke", tags=["tokens"], response_model=TokenItem, **EXACT,
             responses={404: {"description": "no such token"}})
def revoke_token(request: Request, token_id: Annotated[int, PathParam(ge=1, le=2**62)], user=Depends(api_user)):
    """Revoke one of the caller's tokens (an admin: anyone's); it stops working at once, even
    when it is the token of this request. Revoking twice is harmless."""
    st = state(request)
    revoked = st.registry.revoke_api_token(token_id, user)
    st.tokens.clear()            # no cached lookup keeps the token alive
    return _token(revoked)


def _token(t) -> dict:
    return {**t.as_dict(), "state": t.state}


@router.get("/openapi.json", include_in_schema=False)
async def openapi(request: Request):
    """The OpenAPI description: for a token holder or a logged-in user."""
    if optional_page_user(request) is None:
        await api_user(request, _bearer_of(request))
    return JSONResponse(request.app.openapi())


def _bearer_of(request: Request):
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip()) if token else None
