"""Uploaded files: streamed to a private temporary folder under a size limit, then accepted only
if their *content* is VCF, BCF, MAF or HGVS text. The library's own sniffer
(``readers.detect_format``) decides the format; this check also keeps other content - archives,
PDFs, HTML, binaries, and text in which the engine's HGVS parser finds no variant - out before
the engine sees it.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Her2scopeError
from ..readers.detect import InputFormat, detect_format, read_head
from ..registry.interpret import variant_text_problem

CHUNK = 1 << 20
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class UploadRejected(Exception):
    """An upload that is too large (413) or of the wrong kind (415)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class SavedUpload:
    path: Path            # inside a private temporary folder
    display_name: str     # the client's file name, reduced to safe characters (shown, never used as a path)
    kind: str             # "VCF", "BCF", "MAF", "HGVS text"
    size: int


def display_name(name: str | None) -> str:
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    return (_SAFE_NAME.sub("_", base).strip("._") or "upload")[:80]


def sniff_kind(path: Path, build: str | None = None) -> str:
    """The content kind ("VCF", "BCF", "MAF", "HGVS text"), or UploadRejected(415). The engine's
    own sniffer (``readers.detect_format``) decides the format; text formats must then also be
    clean UTF-8 text, and HGVS text must hold a variant. ``build`` is the one the user chose
    (for chr17:g. lines in HGVS text, which need it)."""
    found = detect_format(str(path))
    if found.format is None:
        raise UploadRejected(415, found.reason)
    if found.format in (InputFormat.VCF, InputFormat.BCF):
        return found.format.label
    sample, _damaged = read_head(str(path))
    text = _clean_text(sample)
    if found.format is InputFormat.MAF:
        return found.format.label
    _refuse_non_variant_text(path, text, build)
    return found.format.label


def _clean_text(sample: bytes) -> str:
    """The sample as text, or UploadRejected: NUL bytes or text that is not UTF-8."""
    if b"\0" in sample:
        raise UploadRejected(415, "binary content that is not VCF, BCF or MAF")
    try:
        return sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:   # not just a multi-byte character cut at the sample's end
            raise UploadRejected(415, "not UTF-8 text, VCF, BCF or MAF") from None
        return sample[:exc.start].decode("utf-8")


def _refuse_non_variant_text(path: Path, text: str, build: str | None) -> None:
    stripped = text.lstrip().lower()
    if stripped.startswith(("<", "%pdf", "{", "[", "pk")):
        raise UploadRejected(415, "HTML, XML, JSON, PDF or archive content is not a variant file")
    if any(len(line) > 2000 for line in text.splitlines()[:200]):
        raise UploadRejected(415, "lines too long for HGVS text, and not VCF or MAF")
    # Any UTF-8 text would otherwise pass as "HGVS text": the engine's own parser decides
    # whether a line is a variant, and text with none (a clinic letter) is not a result file.
    problem = variant_text_problem(path, build)
    if problem:
        raise UploadRejected(415, problem)


def _copy(stream, target: Path, max_bytes: int) -> int:
    size = 0
    with open(target, "wb") as out:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise UploadRejected(413, f"file larger than the limit of {max_bytes // (1024 * 1024)} MB")
            out.write(chunk)
    if size == 0:
        raise UploadRejected(415, "the file is empty")
    return size


def save_upload(stream, filename: str | None, max_bytes: int, folder: Path,
                build: str | None = None) -> SavedUpload:
    """Copy ``stream`` (a binary file object) into ``folder`` under ``max_bytes``, named by the
    client's file name reduced to safe characters (the registry records that name)."""
    target = folder / display_name(filename)
    size = _copy(stream, target, max_bytes)
    return SavedUpload(target, target.name, sniff_kind(target, build), size)


def private_folder() -> tempfile.TemporaryDirectory:
    """A temporary folder only this process's user can enter (mkdtemp: mode 0700), removed
    after the request."""
    return tempfile.TemporaryDirectory(prefix="her2scope-web-")


@contextlib.contextmanager
def scrubbed(folder: Path):
    """Library errors raised inside: their message loses the private folder's path."""
    try:
        yield
    except Her2scopeError as exc:
        prefix = str(folder) + "/"
        exc.message = exc.message.replace(prefix, "").replace(str(folder), "")
        raise


def save_import(stream, filename: str | None, max_bytes: int, folder: Path) -> SavedUpload:
    """A registry import: CSV (UTF-8 text) or a FHIR Bundle (JSON object), checked by content."""
    target = folder / display_name(filename)
    size = _copy(stream, target, max_bytes)
    with open(target, "rb") as fh:
        head = fh.read(65536)
    if b"\0" in head:
        raise UploadRejected(415, "binary content: imports are CSV or a FHIR Bundle (JSON)")
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            raise UploadRejected(415, "not UTF-8 text: imports are CSV or a FHIR Bundle (JSON)") from None
        text = head[:exc.start].decode("utf-8-sig")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(target.read_text("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            raise UploadRejected(415, "JSON that cannot be parsed") from None
        if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
            raise UploadRejected(415, "JSON that is not a FHIR Bundle")
        return SavedUpload(target, target.name, "FHIR", size)
    if text.lstrip().startswith(("<", "%PDF", "PK", "[")):
        raise UploadRejected(415, "imports are CSV or a FHIR Bundle (JSON)")
    return SavedUpload(target, target.name, "CSV", size)
