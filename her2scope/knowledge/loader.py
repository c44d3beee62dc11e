"""Load and check the ERBB2 variant knowledge base (YAML) and the bundled cancerhotspots.org rows.

Two generations load (see ``models.py``): v1, one file; v2, a main file plus curator fragments
that are merged here. Every file goes through pydantic models with enumerated vocabularies; then
the cross-record checks: every citation resolves to a defined source, each curated protein change
is in the engine's canonical form and its reference residues are those of NP_004439.2, a source
key defined in two files names the same paper, and a variant curated in two fragments gets the
same call in both (its evidence lists are merged). Any failure is a KnowledgeBaseError naming the
file, the entry and the field - never a traceback.

Loaded once per process per path (``functools.cache``); the objects are immutable.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..errors import Her2scopeError, KnowledgeBaseError
from ..hgvs.parse import parse_protein, split_reference
from ..vocabulary import EvidenceDirection, EvidenceStrength, EvidenceType, Oncogenicity, RuleKind, ViccCode
from .cache import cached
from .yaml_files import read_yaml

if TYPE_CHECKING:    # pydantic and the file models load only when a file is validated
    from pydantic import BaseModel, ValidationError

    from . import models as m

_DATA = resources.files(__package__) / "data"
DEFAULT_KB = "erbb2_kb_v2.yaml"
# Short names for the bundled generations (``her2scope knowledge diff v1 v2``).
BUNDLED = {"v1": "erbb2_kb_v1.yaml", "v2": "erbb2_kb_v2.yaml"}
HOTSPOT_FILE = "erbb2_hotspots_cancerhotspots_v2.tsv"
ONCOGENICITY_CLASSES = tuple(o.value for o in Oncogenicity)
# OS2 applied below full strength (ClinGen-style strength modification): code label and points.
OS2_BY_STRENGTH = {EvidenceStrength.strong: ("OS2", 4), EvidenceStrength.moderate: ("OS2_moderate", 2),
                   EvidenceStrength.supporting: ("OS2_supporting", 1)}


@dataclass(frozen=True, slots=True)
class Evidence:
    statement: str
    citations: tuple[str, ...]
    code: str | None = None
    type: str | None = None            # v2: functional | clinical | population | structural
    direction: str | None = None
    strength: str | None = None
    assays: tuple[str, ...] = ()
    support: str | None = None         # the verbatim sentence from the source
    origin: str | None = None          # the fragment file it came from

    def as_dict(self) -> dict:
        out: dict = {"statement": self.statement, "citations": list(self.citations)}
        if self.code:
            out["code"] = self.code
        for key in ("type", "direction", "strength", "support"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.assays:
            out["assays"] = list(self.assays)
        return out


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    label: str
    start: int
    end: int
    citations: tuple[str, ...]
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class CriticalRegion:
    id: str
    label: str
    start: int
    end: int
    statement: str
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AlterationClass:
    id: str
    label: str
    activating: bool | None
    evidence: Evidence
    codes: tuple[Evidence, ...]          # v1: VICC codes that apply to every member of the class


@dataclass(frozen=True, slots=True)
class CuratedVariant:
    protein_change: str
    hgvs_p: str
    known_as: tuple[str, ...]
    oncogenicity: Oncogenicity
    vicc_codes: tuple[str, ...]          # v1: as curated; v2: derived from the evidence items
    evidence: tuple[Evidence, ...]
    last_reviewed: str
    origins: tuple[str, ...] = ()        # v2: the fragment file(s) that curate it


@dataclass(frozen=True, slots=True)
class RuleException:
    """Changes a class rule must not call, and why (the validated ``models.RuleException``)."""

    statement: str
    protein_changes: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClassRule:
    """A rule for uncurated changes of one kind in one place (see ``classify.apply_rule``)."""

    id: str
    kind: RuleKind
    label: str
    start: int | None
    end: int | None
    max_residues: int | None
    call: Oncogenicity
    statement: str
    evidence: tuple[Evidence, ...]
    exceptions: tuple[RuleException, ...]
    representative_variants: tuple[str, ...]
    not_called: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hotspot:
    """One cancerhotspots.org v2 row: a residue (or indel span) and one observed change."""

    residue: str          # "310" or "772-775"
    change: str           # hgvsp short, e.g. "p.S310F", "p.Y772_A775dup"
    position_count: int   # tumours with any change at the residue (summed over tumour types)
    change_count: int     # tumours with this change
    qvalue: str
    indel: bool = False   # an in-frame indel region (vartype indel), not a single-residue SNV hotspot
    # (first, last) residue, parsed once from ``residue``: classify reads it for every variant.
    span: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lo, _, hi = self.residue.partition("-")
        object.__setattr__(self, "span", (int(lo), int(hi or lo)))


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    released: str
    path: str
    sources: dict[str, dict]
    points: dict[str, int]
    thresholds: dict[str, int]
    code_text: dict[str, str]
    sop_citation: str
    domains: tuple[Domain, ...]
    classes: dict[str, AlterationClass]
    variants: dict[str, CuratedVariant]
    hotspots: tuple[Hotspot, ...]
    raw: dict
    generation: int = 1
    checked: str = ""
    critical_regions: tuple[CriticalRegion, ...] = ()
    rules: tuple[ClassRule, ...] = ()
    fragments: tuple[str, ...] = ()
    population: str | None = None        # v2: what population data is bundled

    def domain_at(self, residue: int) -> Domain | None:
        # Most specific (shortest) domain wins where ranges nest.
        hits = [d for d in self.domains if d.start <= residue <= d.end]
        return min(hits, key=lambda d: d.end - d.start) if hits else None

    def critical_at(self, start: int, end: int | None = None) -> CriticalRegion | None:
        end = start if end is None else end
        hits = [r for r in self.critical_regions if r.start <= end and start <= r.end]
        return min(hits, key=lambda r: r.end - r.start) if hits else None

    def curated(self, protein_change: str | None) -> CuratedVariant | None:
        return self.variants.get(protein_change) if protein_change else None

    def hotspots_at(self, residue: int) -> list[Hotspot]:
        return [h for h in self.hotspots if h.span[0] <= residue <= h.span[1]]

    # --- indexes for the per-variant hot path (built on first use; the objects never change) ---

    @functools.cached_property
    def _hotspot_index(self) -> dict[int, tuple[int, ...]]:
        """residue -> positions in ``hotspots`` of the rows whose span covers it."""
        index: dict[int, list[int]] = {}
        for i, h in enumerate(self.hotspots):
            for residue in range(h.span[0], h.span[1] + 1):
                index.setdefault(residue, []).append(i)
        return {k: tuple(v) for k, v in index.items()}

    def hotspots_overlapping(self, start: int, end: int) -> list[Hotspot]:
        """The rows whose span overlaps residues ``start``..``end``, in table order (the same rows
        as a scan of ``hotspots``)."""
        if end - start > len(self.hotspots):
            return [h for h in self.hotspots if h.span[0] <= end and start <= h.span[1]]
        index = self._hotspot_index
        if start == end:
            return [self.hotspots[i] for i in index.get(start, ())]
        found = {i for r in range(start, end + 1) for i in index.get(r, ())}
        return [self.hotspots[i] for i in sorted(found)]

    @functools.cached_property
    def _missense_index(self) -> dict[int, tuple[tuple[CuratedVariant, str], ...]]:
        """residue -> (curated entry, new residue) of every curated one-letter missense change
        there (``p.S310F`` -> 310: F), in curation order."""
        index: dict[int, list[tuple[CuratedVariant, str]]] = {}
        for v in self.variants.values():
            parsed = missense_short(v.protein_change)
            if parsed is not None:
                index.setdefault(parsed[0], []).append((v, parsed[1]))
        return {k: tuple(v) for k, v in index.items()}

    def curated_missense_at(self, residue: int) -> tuple[tuple[CuratedVariant, str], ...]:
        """(curated entry, new residue) for the curated missense changes at ``residue``."""
        return self._missense_index.get(residue, ())

    def classify_points(self, points: int) -> str:
        t = self.thresholds
        if points >= t["oncogenic"]:
            return "oncogenic"
        if points >= t["likely_oncogenic"]:
            return "likely_oncogenic"
        if points <= t["benign"]:
            return "benign"
        if points <= t["likely_benign"]:
            return "likely_benign"
        return "uncertain_significance"

    def code_points(self, code: str) -> int:
        """Points of an applied code; ``OS2_moderate`` is OS2 at moderate strength (2 points)."""
        base, _, strength = code.partition("_")
        if strength:
            return dict((label, pts) for label, pts in OS2_BY_STRENGTH.values()).get(code, 0)
        return self.points.get(base, 0)


def missense_short(short: str) -> tuple[int, str] | None:
    """(residue, new residue) of a one-letter missense short form (``p.S310F`` -> (310, "F")),
    else None."""
    body = short[2:]
    if len(body) >= 3 and body[0].isalpha() and body[-1].isalpha() and body[1:-1].isdigit() and body[-1] != "=":
        return int(body[1:-1]), body[-1]
    return None


# --- reading and error messages ---------------------------------------------------------------

_ENTRY_NAME = {"curated_variants": "protein_change", "variants": "protein_change", "domains": "id",
               "critical_regions": "id", "class_rules": "id", "class_rule_evidence": "rule",
               "nsclc_context": "id"}


def _entry(raw: Any, loc: tuple) -> tuple[str, tuple]:
    """A readable name for the entry an error location points into, and the rest of the path."""
    if len(loc) < 2 or not isinstance(raw, dict):
        return "top level", loc
    section = loc[0]
    if section in ("sources", "alteration_classes") and len(loc) > 1:
        return f"{section[:-1].replace('_', ' ')} {loc[1]}", loc[2:]
    if section in _ENTRY_NAME and len(loc) > 1 and isinstance(loc[1], int):
        items = raw.get(section) or []
        item = items[loc[1]] if loc[1] < len(items) else None
        name = item.get(_ENTRY_NAME[section]) if isinstance(item, dict) else None
        label = {"curated_variants": "variant", "variants": "variant"}.get(section, section.rstrip("s"))
        return f"{label} {name or '#' + str(loc[1] + 1)}", loc[2:]
    if section == "vicc_sop":
        return "vicc_sop", loc[1:]
    return "top level", loc


def _field(rest: tuple) -> str:
    out = ""
    for part in rest:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(entry)"


def _explain(exc: ValidationError, path: Path, raw: Any, limit: int = 8) -> KnowledgeBaseError:
    lines = []
    for err in exc.errors()[:limit]:
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "tagged-"))))
        entry, rest = _entry(raw, loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            msg = "unknown key (not in the format; a typo?)"
        elif kind == "missing":
            msg = "required key is missing"
        else:
            msg = err["msg"]
            if "input" in err and kind not in ("model_type", "dict_type"):
                got = err["input"]
                msg += f" (got {got!r})" if not isinstance(got, (dict, list)) else ""
        lines.append(f"{path}: {entry}: field {_field(rest)}: {msg}")
    more = len(exc.errors()) - limit
    if more > 0:
        lines.append(f"... and {more} more problem(s) in {path}")
    return KnowledgeBaseError("\n".join(lines))


def _validate(model: type[BaseModel], raw: Any, path: Path) -> Any:
    from pydantic import ValidationError  # lazy: start-up (a warm knowledge cache never loads pydantic)

    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise _explain(exc, path, raw) from None


def _mapping(raw: Any, path: Path, what: str) -> dict:
    if not isinstance(raw, dict):
        got = "an empty file" if raw is None else f"a {type(raw).__name__}"
        raise KnowledgeBaseError(f"{path}: a {what} must be a YAML mapping of keys "
                                 f"(knowledge_version, sources, ...), got {got}")
    return raw


# --- checks shared by both generations --------------------------------------------------------

def _canonical(protein_change: str, hgvs_p: str | None, where: str) -> None:
    """The key must be what the engine writes (else it silently never matches) and its reference
    residues those of NP_004439.2 (else a typo or another isoform's numbering)."""
    try:
        acc, body = split_reference(protein_change)
        change = parse_protein(acc, body).change
    except Her2scopeError as exc:
        raise KnowledgeBaseError(f"{where}: field protein_change: {exc.message}") from None
    if change.short != protein_change:
        raise KnowledgeBaseError(f"{where}: field protein_change: {protein_change!r} is not in canonical "
                                 f"form (expected {change.short!r})")
    if hgvs_p and hgvs_p not in (f"p.({change.hgvs})", f"p.{change.hgvs}"):
        raise KnowledgeBaseError(f"{where}: field hgvs_p: {hgvs_p!r} does not describe {protein_change} "
                                 f"(expected 'p.({change.hgvs})')")


def _check_citations(cites, sources: dict, where: str) -> None:
    missing = [c for c in cites if c not in sources]
    if missing:
        raise KnowledgeBaseError(f"{where}: citations not defined under 'sources': {missing}")


def _read_hotspots(path) -> tuple[Hotspot, ...]:
    rows = []
    with path.open() as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["symbol"] != "ERBB2":
                continue
            pos_n = change_n = 0
            for part in row["MUTATION_HOTSPOT_CANCERTYPE"].split(","):
                _, a, b = part.split("|")
                pos_n, change_n = pos_n + int(a), change_n + int(b)
            rows.append(Hotspot(row["amino_acid_position"], row["hgvsp"], pos_n, change_n,
                                row["qvalue"], row["vartype"] == "indel"))
    return tuple(rows)


def resolve(path: str | None) -> Path:
    """The file a knowledge-base name means: a path, ``v1``/``v2`` (bundled), or None (the default)."""
    if not path:
        return Path(str(_DATA / DEFAULT_KB))
    if path in BUNDLED and not Path(path).exists():
        return Path(str(_DATA / BUNDLED[path]))
    return Path(path)


@functools.cache
def load_knowledge(path: str | None = None) -> KnowledgeBase:
    """The knowledge base at ``path`` (default: the bundled current version; ``"v1"``/``"v2"``
    name the bundled generations). A bundled one comes from the content-keyed cache of its
    validated form when there is one (see ``cache.py``)."""
    source = resolve(path)
    if source.name in BUNDLED.values() and source.resolve().parent == Path(str(_DATA)).resolve():
        return cached(source, KnowledgeBase, lambda: _load(source),
                      lambda kb: _inputs(source, cast(KnowledgeBase, kb)))
    return _load(source)


def _inputs(source: Path, kb: KnowledgeBase) -> list[Path]:
    """Every file a loaded knowledge base was built from."""
    return [source, *(source.parent / name for name in kb.fragments), Path(str(_DATA / HOTSPOT_FILE))]


def _load(source: Path) -> KnowledgeBase:
    raw = _mapping(read_yaml(source), source, "knowledge base")
    version = raw.get("knowledge_version")
    if version is None:
        raise KnowledgeBaseError(f"{source}: top level: field knowledge_version: required key is missing")
    major = str(version).split(".")[0]
    if major == "1":
        return _load_v1(raw, source)
    if major == "2":
        return _load_v2(raw, source)
    raise KnowledgeBaseError(f"{source}: top level: field knowledge_version: {version!r} is not a "
                             "knowledge-base generation her2scope reads (1.x.y or 2.x.y)")


# --- v1 -----------------------------------------------------------------------------------------

def _ev1(e: m.EvidenceV1) -> Evidence:
    return Evidence(e.statement.strip(), e.citations, e.code.value if e.code else None)


def _load_v1(raw: dict, source: Path) -> KnowledgeBase:
    from . import models as m  # lazy: start-up (pydantic; a warm knowledge cache skips it)

    kb = _validate(m.KnowledgeV1, raw, source)
    sources = {k: s.model_dump() for k, s in kb.sources.items()}
    where = str(source)
    classes = {}
    for cid, c in kb.alteration_classes.items():
        _check_citations(c.citations, sources, f"{where}: alteration class {cid}: field citations")
        for e in c.codes:
            _check_citations(e.citations, sources, f"{where}: alteration class {cid}: field codes")
        classes[cid] = AlterationClass(cid, c.label, c.activating, Evidence(c.statement.strip(), c.citations),
                                       tuple(_ev1(e) for e in c.codes))
    variants = {}
    for v in kb.curated_variants:
        at = f"{where}: variant {v.protein_change}"
        _canonical(v.protein_change, v.hgvs_p, at)
        for i, e in enumerate(v.evidence):
            _check_citations(e.citations, sources, f"{at}: field evidence[{i}].citations")
        if v.protein_change in variants:
            raise KnowledgeBaseError(f"{at}: curated twice")
        variants[v.protein_change] = CuratedVariant(
            v.protein_change, v.hgvs_p, v.known_as, v.oncogenicity, tuple(c.value for c in v.vicc_codes),
            tuple(_ev1(e) for e in v.evidence), v.last_reviewed)
    for d in kb.domains:
        _check_citations(d.citations, sources, f"{where}: domain {d.id}: field citations")
    _check_citations([kb.vicc_sop.citation], sources, f"{where}: vicc_sop: field citation")
    return KnowledgeBase(
        version=kb.knowledge_version, released=kb.released, path=str(source), sources=sources,
        points={c.value: p for c, p in kb.vicc_sop.points.items()},
        thresholds=kb.vicc_sop.thresholds.model_dump(),
        code_text={c.value: t for c, t in kb.vicc_sop.codes.items()}, sop_citation=kb.vicc_sop.citation,
        domains=tuple(Domain(d.id, d.label, d.start, d.end, d.citations, d.approximate) for d in kb.domains),
        classes=classes, variants=variants, hotspots=_read_hotspots(_DATA / HOTSPOT_FILE), raw=raw,
        generation=1, checked=kb.released)


# --- v2 -----------------------------------------------------------------------------------------

def _norm_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", title.casefold())


def _source_dict(s: m.SourceV2) -> dict:
    out = s.model_dump(mode="json")
    out["citation"] = s.citation()
    return out


def _merge_source(key: str, new: m.SourceV2, file: str, merged: dict, seen_in: dict) -> None:
    if key.startswith("PMID:") and new.pmid not in (None, key[5:]):
        raise KnowledgeBaseError(f"{file}: source {key}: field pmid: {new.pmid!r} does not match the key")
    if key.startswith("DOI:") and new.doi is not None and new.doi.casefold() != key[4:].casefold():
        raise KnowledgeBaseError(f"{file}: source {key}: field doi: {new.doi!r} does not match the key")
    old = merged.get(key)
    if old is None:
        merged[key], seen_in[key] = new, file
        return
    for name in ("pmid", "doi"):
        a, b = getattr(old, name), getattr(new, name)
        if a is not None and b is not None and a.casefold() != b.casefold():
            raise KnowledgeBaseError(f"source {key} is defined differently in {seen_in[key]} and {file}: "
                                     f"field {name}: {a!r} vs {b!r}; one key must name one paper")
    if _norm_title(old.title) != _norm_title(new.title):
        raise KnowledgeBaseError(f"source {key} is defined differently in {seen_in[key]} and {file}: "
                                 f"field title: {old.title!r} vs {new.title!r}; one key must name one paper")
    # Same paper: keep the first entry, filling identifiers the first file had not seen.
    merged[key] = old.model_copy(update={n: getattr(old, n) or getattr(new, n)
                                         for n in ("pmid", "doi", "first_author", "year", "journal", "url")})


def _ev2(e: m.EvidenceV2, origin: str) -> Evidence:
    code = None
    if e.code is not None:
        code = OS2_BY_STRENGTH[e.strength][0] if e.code is ViccCode.OS2 else e.code.value
    return Evidence(e.statement.strip(), e.citations, code, e.type.value, e.direction.value, e.strength.value,
                    tuple(a.value for a in e.assays), e.support, origin)


def derived_codes(evidence: tuple[Evidence, ...]) -> tuple[str, ...]:
    """The SOP codes a curated entry's evidence supports: functional activation -> OS2 at the
    item's strength (strong 4, moderate 2, supporting 1 point), strong functional no-effect ->
    SBS2, population codes only as the curator stated them (they need the frequency)."""
    os2 = []
    out = []
    for e in evidence:
        if e.type == EvidenceType.functional and e.direction == EvidenceDirection.oncogenic:
            os2.append(OS2_BY_STRENGTH[EvidenceStrength(e.strength)])  # type: ignore[arg-type]  # None raises
        elif e.code and not e.code.startswith("OS2"):
            out.append(e.code)
        elif (e.type == EvidenceType.functional and e.direction == EvidenceDirection.not_oncogenic
              and e.strength == EvidenceStrength.strong):
            out.append("SBS2")
    if os2:
        out.insert(0, max(os2, key=lambda c: c[1])[0])
    return tuple(dict.fromkeys(out))


@dataclass(slots=True)
class _MergedV2:
    """What the main file and its fragments add up to; filled fragment by fragment (in file order,
    so the first problem found is the one reported), then turned into the immutable KnowledgeBase."""
    where: str                                      # the main file, for messages
    rules: dict[str, m.ClassRule]
    alias: dict[str, str]                           # a class rule's alias -> its id
    rule_evidence: dict[str, list[Evidence]]
    domains: tuple[m.Domain, ...]
    regions: list[m.CriticalRegion]
    domains_from: str | None = None                 # the fragment that defines them (at most one)
    sources: dict[str, m.SourceV2] = field(default_factory=dict)
    seen_in: dict[str, str] = field(default_factory=dict)  # source key -> the file that defined it first
    variants: dict[str, dict] = field(default_factory=dict)
    cite_checks: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # run once all sources are in


def _load_v2(raw: dict, source: Path) -> KnowledgeBase:
    from . import models as m  # lazy: start-up (pydantic; a warm knowledge cache skips it)

    main = _validate(m.KnowledgeV2, raw, source)
    merged = _start_v2(main, str(source))
    for name in main.fragments:
        _add_fragment(merged, _read_fragment(source, name))
    if not merged.domains:
        raise KnowledgeBaseError(f"{merged.where}: top level: field domains: no file defines the protein domains")
    sources = {k: _source_dict(s) for k, s in merged.sources.items()}
    _check_class_rule_variants(main, merged.where)
    for cites, at in merged.cite_checks + _main_cite_checks(main, merged.where):
        _check_citations(cites, sources, at)
    return _knowledge_base_v2(main, merged, sources, raw, source)


def _start_v2(main: m.KnowledgeV2, where: str) -> _MergedV2:
    merged = _MergedV2(where=where, rules={r.id: r for r in main.class_rules},
                       alias={a: r.id for r in main.class_rules for a in r.aliases},
                       rule_evidence={r.id: [_rule_ev(e, where) for e in r.evidence] for r in main.class_rules},
                       domains=main.domains, regions=list(main.critical_regions))
    for key, s in main.sources.items():
        _merge_source(key, s, where, merged.sources, merged.seen_in)
    return merged


def _read_fragment(source: Path, name: str) -> tuple[m.Fragment, str]:
    """A fragment named in the main file, validated, with its path for messages."""
    from . import models as m  # lazy: start-up (pydantic; a warm knowledge cache skips it)

    fpath = source.parent / name
    if not fpath.is_file():
        raise KnowledgeBaseError(f"{source}: top level: field fragments: {name} not found next to the "
                                 f"main file ({fpath})")
    fraw = _mapping(read_yaml(fpath), fpath, "knowledge fragment")
    return _validate(m.Fragment, fraw, fpath), str(fpath)


def _add_fragment(merged: _MergedV2, fragment: tuple[m.Fragment, str]) -> None:
    frag, fname = fragment
    for key, s in frag.sources.items():
        _merge_source(key, s, fname, merged.sources, merged.seen_in)
    if frag.domains is not None:
        if merged.domains_from:
            raise KnowledgeBaseError(f"{fname}: field domains: domains are also defined in {merged.domains_from}; "
                                     "define them in one fragment")
        merged.domains, merged.domains_from = frag.domains, fname
        merged.cite_checks += [(d.citations, f"{fname}: domain {d.id}: field citations") for d in frag.domains]
    if frag.critical_regions is not None:
        merged.regions += frag.critical_regions
        merged.cite_checks += [(r.citations, f"{fname}: critical region {r.id}: field citations")
                               for r in frag.critical_regions]
    _add_rule_evidence(merged, frag, fname)
    for v in frag.variants:
        at = f"{fname}: variant {v.protein_change}"
        _canonical(v.protein_change, v.hgvs_p, at)
        for i, e in enumerate(v.evidence):
            merged.cite_checks.append((e.citations, f"{at}: field evidence[{i}].citations"))
        _merge_variant(merged.variants, v, fname)


def _add_rule_evidence(merged: _MergedV2, frag: m.Fragment, fname: str) -> None:
    """A fragment's evidence for a class rule of the main file (named by id or alias)."""
    for i, e in enumerate(frag.class_rule_evidence):
        rid = merged.alias.get(e.rule, e.rule)
        if rid not in merged.rules:
            raise KnowledgeBaseError(f"{fname}: class_rule_evidence #{i + 1}: field rule: unknown class rule "
                                     f"{e.rule!r} (rules: {', '.join(sorted(merged.rules))})")
        merged.rule_evidence[rid].append(_rule_ev(e, fname))
        merged.cite_checks.append((e.citations, f"{fname}: class_rule_evidence #{i + 1} ({e.rule}): field citations"))


def _check_class_rule_variants(main: m.KnowledgeV2, where: str) -> None:
    """Every protein change a class rule names is in canonical form with NP_004439.2's residues."""
    for r in main.class_rules:
        for pc in r.representative_variants + r.not_called + tuple(p for x in r.exceptions for p in x.protein_changes):
            _canonical(pc, None, f"{where}: class rule {r.id}")


def _main_cite_checks(main: m.KnowledgeV2, where: str) -> list[tuple[tuple[str, ...], str]]:
    """The citations of the main file, each with where it is for the message."""
    checks: list[tuple[tuple[str, ...], str]] = [((main.vicc_sop.citation,), f"{where}: vicc_sop: field citation")]
    checks += [(d.citations, f"{where}: domain {d.id}: field citations") for d in main.domains]
    checks += [(r.citations, f"{where}: critical region {r.id}: field citations") for r in main.critical_regions]
    checks += [(c.citations, f"{where}: alteration class {cid}: field citations")
               for cid, c in main.alteration_classes.items()]
    for r in main.class_rules:
        checks += [(e.citations, f"{where}: class rule {r.id}: field evidence") for e in r.evidence]
        checks += [(x.citations, f"{where}: class rule {r.id}: field exceptions") for x in r.exceptions]
    return checks


def _knowledge_base_v2(main: m.KnowledgeV2, merged: _MergedV2, sources: dict, raw: dict,
                       source: Path) -> KnowledgeBase:
    return KnowledgeBase(
        version=main.knowledge_version, released=main.released, path=str(source), sources=sources,
        points={c.value: p for c, p in main.vicc_sop.points.items()},
        thresholds=main.vicc_sop.thresholds.model_dump(),
        code_text={c.value: t for c, t in main.vicc_sop.codes.items()}, sop_citation=main.vicc_sop.citation,
        domains=tuple(Domain(d.id, d.label, d.start, d.end, d.citations, d.approximate) for d in merged.domains),
        classes={cid: AlterationClass(cid, c.label, c.activating, Evidence(c.statement.strip(), c.citations), ())
                 for cid, c in main.alteration_classes.items()},
        variants=_curated_v2(merged.variants), hotspots=_read_hotspots(_DATA / HOTSPOT_FILE), raw=raw,
        generation=2, checked=main.checked,
        critical_regions=tuple(CriticalRegion(r.id, r.label, r.start, r.end, r.statement.strip(), r.citations)
                               for r in merged.regions),
        rules=tuple(_class_rule(r, merged.rule_evidence[r.id]) for r in main.class_rules),
        fragments=tuple(main.fragments), population=main.population.strip())


def _curated_v2(variants: dict[str, dict]) -> dict[str, CuratedVariant]:
    curated = {}
    for pc, v in variants.items():
        evidence = tuple(v["evidence"])
        curated[pc] = CuratedVariant(pc, v["hgvs_p"], tuple(v["known_as"]), v["oncogenicity"],
                                     derived_codes(evidence), evidence, v["checked"], tuple(v["origins"]))
    return curated


def _class_rule(r: m.ClassRule, evidence: list[Evidence]) -> ClassRule:
    return ClassRule(r.id, r.kind, r.label, r.region.start if r.region else None,
                     r.region.end if r.region else None, r.max_residues, r.call, r.statement.strip(),
                     tuple(evidence),
                     tuple(RuleException(x.statement, x.protein_changes, x.citations) for x in r.exceptions),
                     r.representative_variants, r.not_called,
                     r.aliases)


def _rule_ev(e: m.RuleEvidence, origin: str) -> Evidence:
    return Evidence(e.statement.strip(), e.citations, support=e.support, origin=origin)


def _merge_variant(variants: dict[str, dict], v: m.VariantV2, fname: str) -> None:
    evidence = [_ev2(e, fname) for e in v.evidence]
    old = variants.get(v.protein_change)
    if old is None:
        variants[v.protein_change] = {"hgvs_p": v.hgvs_p, "known_as": list(v.known_as),
                                      "oncogenicity": v.oncogenicity, "evidence": evidence,
                                      "checked": v.checked, "origins": [fname]}
        return
    if old["oncogenicity"] is not v.oncogenicity:
        first = old["origins"][0]
        raise KnowledgeBaseError(
            f"variant {v.protein_change} is curated differently: {old['oncogenicity'].value} in {first}, "
            f"{v.oncogenicity.value} in {fname}; the curators must settle one call (field oncogenicity)")
    old["known_as"] += [k for k in v.known_as if k not in old["known_as"]]
    old["evidence"] += evidence
    old["checked"] = max(old["checked"], v.checked)
    if fname not in old["origins"]:
        old["origins"].append(fname)
