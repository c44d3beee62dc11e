"""The one-way flow: read -> check REF -> rejoin split events -> normalize/annotate ->
classify -> results.  The CLI, case reports, the registry, the sweep and the web call
``annotate_inputs``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .annotate import Annotation, annotate, check_reference
from .classify import classify
from .consequence import Consequence, joined
from .errors import Her2scopeError, MalformedRecordError, NeedsReferenceError, ReferenceMismatchError
from .genome.builds import Build
from .genome.locus import DERIVED_NOTE
from .genome.reference import ReferenceProvider, TrackedReference, is_derived, reference_for
from .genome.transcript import erbb2, overlaps_erbb2
from .hgvs.parse import dna_positions, parse_protein, split_reference
from .hgvs.protein import ProteinChange
from .knowledge.loader import KnowledgeBase, load_knowledge
from .readers.base import FileSummary, RecordError
from .readers.dispatch import read_file
from .readers.hgvs_lines import read_hgvs_lines
from .rejoin import rejoin
from .result import CallerComparison, VariantResult
from .variant import CallerAnnotation, GenomicAllele, Observation, SourceRecord
from .vocabulary import VariantStatus

DEFAULT_CDNA_BUILD = Build.GRCh38
Item = VariantResult | RecordError


@dataclass(frozen=True)
class Options:
    build: Build | None = None
    # The genome bases for REF checks and 3' shifts: the path of an indexed genome FASTA (layered
    # over the bundled ERBB2 locus), or any ReferenceProvider, used as given (e.g. one opened
    # once for many calls, or a test double). None: the bundled locus only.
    reference: str | os.PathLike[str] | ReferenceProvider | None = None
    knowledge: str | None = None           # path of a knowledge-base YAML (default: bundled)


def reference_of(options: Options) -> ReferenceProvider:
    ref = options.reference
    if ref is None or isinstance(ref, (str, os.PathLike)):
        return reference_for(None if ref is None else os.fspath(ref))
    return ref


def annotate_inputs(paths: Iterable[str | os.PathLike[str]] = (), options: Options = Options(),
                    summaries: list[FileSummary] | None = None, *,
                    expressions: Iterable[str] = ()) -> Iterator[Item]:
    """Annotate every ERBB2 variant in the files ``paths`` and in the HGVS ``expressions``.

    A path is always a file (VCF, BCF, MAF or HGVS text, read by content): one that does not
    exist is a ``file_not_found`` error, never taken for an expression. An expression is never
    opened as a file. Files come first, then expressions, each in the order given.

    Yields results and per-record errors in input order; a file that cannot be read at all
    yields one RecordError with ``record=None``.  ``summaries`` receives one FileSummary per
    file or expression as it completes.
    """
    if isinstance(paths, (str, os.PathLike)) or isinstance(expressions, str):
        raise TypeError("annotate_inputs takes lists: paths=[...], expressions=[...]")
    kb = load_knowledge(options.knowledge)
    ref = reference_of(options)
    for path in paths:
        name = os.fspath(path)
        yield from _annotate_one(name, lambda s, p=name: read_file(p, options.build, s), ref, kb, options,
                                 summaries)
    for text in expressions:
        yield from _annotate_one(text, lambda s, e=text: read_hgvs_lines([e], e, options.build, s), ref, kb,
                                 options, summaries)


def _annotate_one(name: str, read, ref: ReferenceProvider, kb: KnowledgeBase, options: Options,
                  summaries: list[FileSummary] | None) -> Iterator[Item]:
    summary = FileSummary(input=name)
    items: list = []
    try:
        for item in read(summary):
            items.append(item)
    except Her2scopeError as exc:   # the file failed part-way: keep what came before
        summary.errors += 1
        items.append(RecordError.of(name, None, exc))
    yield from _process(items, ref, kb, options, summary)
    if summaries is not None:
        summaries.append(summary)


def _process(items: list, ref: ReferenceProvider, kb: KnowledgeBase, options: Options,
             summary: FileSummary) -> Iterator[Item]:
    errors: list[tuple[float, RecordError]] = []
    observations: list[Observation] = []
    verified: dict[tuple, bool] = {}
    reported: set[tuple] = set()
    for position, item in enumerate(items):
        if isinstance(item, RecordError):
            late = item.record is None and position > 0   # e.g. truncation after some records
            errors.append((float("inf") if late else (item.record or 0), item))
            continue
        if item.allele is not None and not item.not_interpreted:
            src = item.source
            try:
                verified[(src.input, src.record, src.sample)] = check_reference(
                    item.allele, ref, item.allele.alt, where=f"{src.input} record {src.record}")
            except ReferenceMismatchError as exc:
                if (src.input, src.record) not in reported:   # once per record, not per sample
                    reported.add((src.input, src.record))
                    summary.errors += 1
                    errors.append((src.record or 0, RecordError.of(src.input, src.record, exc)))
                continue
        observations.append(item)
    joined_obs, notes = rejoin(observations, ref)
    out: list[tuple[float, Item]] = list(errors)
    for obs in joined_obs:
        pieces = obs.joined_from or (obs.source,)
        ok = all(verified.get((s.input, s.record, s.sample), True) for s in pieces)
        try:
            out.append((obs.source.record or 0, _result(obs, ref, kb, options, ok, notes)))
        except Her2scopeError as exc:
            summary.errors += 1
            out.append((obs.source.record or 0, RecordError.of(obs.source.input, obs.source.record, exc)))
    out.sort(key=lambda pair: pair[0])
    for _, item in out:
        yield item


def _result(obs: Observation, ref: ReferenceProvider, kb: KnowledgeBase, options: Options,
            ref_verified: bool, notes: dict) -> VariantResult:
    src = obs.source
    extra = list(notes.get((src.input, src.record, src.sample), []))
    common: dict[str, Any] = dict(
                  input=src.input, record=src.record, sample=src.sample, genotype=src.genotype,
                  depth=src.depth, vaf=src.vaf, filter=src.filter, original=src.original,
                  joined_records=tuple(s.record for s in obs.joined_from) if obs.joined_from else ())
    if obs.not_interpreted:
        a = obs.allele
        cols = src.original.split("\t")
        return VariantResult(
            build=obs.build.value if obs.build else None, pos=a.start + 1 if a else None,
            ref=a.ref if a else None, alt=cols[4] if len(cols) > 4 else None, hgvs_g=None,
            hgvs_c=None, hgvs_p=None, protein_change=None, consequence=None, exon=None,
            intron=None, domain=None, classification=None, status=VariantStatus.not_interpreted,
            notes=tuple(extra + [obs.not_interpreted]), **common)
    if obs.protein is not None:
        return _protein_result(obs, obs.protein, kb, extra, common)
    allele = obs.allele
    tracked = TrackedReference(ref)       # did any base used come from the derived GRCh37 locus?
    if obs.dna is not None:
        allele, ref_verified, note = _dna_allele(obs, tracked)
        if note:
            extra.append(note)
    if not ref_verified:
        extra.append("REF could not be checked: the bases lie outside the bundled ERBB2 locus "
                     "(pass --reference GENOME.fa to check them)")
    padding = None
    if obs.allele is not None and obs.allele.ref:
        padding = (obs.allele.start, obs.allele.ref[0])
    assert allele is not None   # an observation holds an allele, a DNA or a protein change
    ann = annotate(allele, tracked, reference_checked=ref_verified, padding=padding)
    extra.extend(ann.notes)
    checked_on_derived = obs.allele is not None and is_derived(
        ref, obs.allele.build, obs.allele.start, obs.allele.end)
    if tracked.derived_used or checked_on_derived:
        extra.append(DERIVED_NOTE)
    change = ann.effect.change
    splice_site = bool(ann.effect.consequences & {Consequence.SPLICE_DONOR, Consequence.SPLICE_ACCEPTOR})
    cls = classify(change, ann.effect.consequences, kb, splice_unknown=ann.effect.unknown and splice_site)
    domain = kb.domain_at(change.start) if change and change.kind != "start_lost" else None
    callers = tuple(_compare(a, ann) for a in src.caller_annotations)
    for c in callers:
        if c.naming_differs:
            theirs = " ".join(x for x in (c.annotation.hgvs_c, c.annotation.hgvs_p) if x)
            ours = " ".join(x for x in (ann.hgvs_c.split(":")[1], ann.protein_change) if x)
            verdict = {True: "", False: " (a different event)",
                       None: " (cannot tell whether it is the same event)"}[c.same_event]
            extra.append(f"{c.annotation.source} names it {theirs}; her2scope: {ours}{verdict}")
    n = ann.normalized
    return VariantResult(
        build=allele.build.value, pos=n.vcf_pos, ref=n.vcf_ref, alt=n.vcf_alt, hgvs_g=ann.hgvs_g,
        hgvs_c=ann.hgvs_c, hgvs_p=ann.hgvs_p, protein_change=ann.protein_change,
        consequence=ann.consequence, exon=ann.exon, intron=ann.intron,
        domain=domain.label if domain else None, classification=cls,
        reference_checked=ref_verified, callers=callers, notes=tuple(extra), **common)


def _dna_allele(obs: Observation, ref: ReferenceProvider) -> tuple[GenomicAllele, bool, str | None]:
    expr = obs.dna
    assert expr is not None   # the caller checked obs.dna
    build = obs.build or DEFAULT_CDNA_BUILD
    note = None if obs.build else (f"{expr.system}. input placed on {build.value} "
                                   "(pass --build to choose)")
    a, b = dna_positions(expr, build)
    where = obs.source.original
    _check_build(expr, build, a, b, ref, where)
    seq = ref.sequence(build, a, b + 1)
    if expr.kind == "sub":
        if seq is not None and seq != expr.ref:
            raise ReferenceMismatchError(
                f"{where}: the reference base at {expr.first} is {seq}, not {expr.ref}",
                expected=seq, observed=expr.ref or "")
        return GenomicAllele(build, a, expr.ref or "", expr.alt), seq is not None, note
    if expr.kind == "ins":
        return GenomicAllele(build, b, "", expr.alt), True, note
    if expr.ref_length is not None and expr.ref_length != b - a + 1:
        raise MalformedRecordError(
            f"{where}: {expr.first}_{expr.last} spans {b - a + 1} bases on {build.value}, but "
            f"{expr.ref_length} are stated")
    if seq is None:
        raise NeedsReferenceError(f"{where}: the reference bases at {expr.first}_{expr.last} lie "
                                  "outside the bundled ERBB2 locus: rerun with --reference GENOME.fa")
    if expr.ref:    # legacy delTTinsAG / delTT / dupTT: the spelled bases must be the reference's
        check_reference(GenomicAllele(build, a, expr.ref, expr.alt), ref, expr.alt, where=where,
                        what=f"the stated {'duplicated' if expr.kind == 'dup' else 'deleted'} sequence")
    if expr.kind == "del":
        return GenomicAllele(build, a, seq, ""), True, note
    if expr.kind == "dup":
        return GenomicAllele(build, b + 1, "", seq), True, note
    return GenomicAllele(build, a, seq, expr.alt), True, note


def _check_build(expr, build: Build, a: int, b: int, ref: ReferenceProvider, where: str) -> None:
    """A g. position outside ERBB2 on ``build`` but inside it on the other build, with the
    stated bases matching there, is a wrong-build input: say so instead of 'outside ERBB2'."""
    if overlaps_erbb2(build, a, b + 1) or not overlaps_erbb2(build.other, a, b + 1):
        return
    other = ref.sequence(build.other, a, b + 1)
    if expr.ref and other != expr.ref:
        return
    matches = f" (the stated bases {expr.ref} match {build.other.value} there)" if expr.ref else ""
    raise ReferenceMismatchError(
        f"{where}: chr17:{a + 1} is outside ERBB2 on {build.value}; likely cause: wrong genome "
        f"build: the coordinates look like {build.other.value}{matches}",
        expected=other or "", observed=expr.ref or "",
        likely_causes=(f"wrong genome build: the coordinates look like {build.other.value}",))


_KIND_CONSEQUENCE = {
    "missense": Consequence.MISSENSE, "synonymous": Consequence.SYNONYMOUS,
    "nonsense": Consequence.STOP_GAINED, "del": Consequence.INFRAME_DELETION,
    "ins": Consequence.INFRAME_INSERTION, "dup": Consequence.INFRAME_INSERTION,
    "fs": Consequence.FRAMESHIFT, "ext": Consequence.STOP_LOST,
    "start_lost": Consequence.START_LOST,
}


def _protein_result(obs: Observation, change: ProteinChange, kb: KnowledgeBase, extra: list,
                    common: dict) -> VariantResult:
    if change.kind == "delins" and change.alt.endswith("*"):
        term = Consequence.STOP_GAINED          # p.Leu755_Arg756delinsSerTer: a truncation
    elif change.kind == "delins":
        term = (Consequence.INFRAME_INSERTION if change.length_change > 0 else
                Consequence.INFRAME_DELETION if change.length_change < 0 else Consequence.MISSENSE)
    else:
        term = _KIND_CONSEQUENCE[change.kind]
    terms = frozenset({term})
    cls = classify(change, terms, kb)
    tx = erbb2()
    exon = tx.exon_of_tx(tx.cds_start + 3 * (change.start - 1)).number
    domain = kb.domain_at(change.start)
    extra.append("protein-level input: the DNA change is not stated, so hgvs_c, hgvs_g and "
                 "coordinates are not given (several DNA changes can encode one protein change)")
    for a in obs.source.caller_annotations:
        if a.hgvs_p and a.hgvs_p != change.short:
            extra.append(f"{a.source} spelling {a.hgvs_p} normalized to {change.short}")
    return VariantResult(
        build=obs.build.value if obs.build else None, pos=None, ref=None, alt=None, hgvs_g=None,
        hgvs_c=None, hgvs_p=f"{tx.protein_accession}:p.({change.hgvs})",
        protein_change=change.short, consequence=joined(set(terms)), exon=exon, intron=None,
        domain=domain.label if domain else None, classification=cls, notes=tuple(extra),
        **common)


def _strip(text: str | None) -> str | None:
    if not text:
        return None
    return text.split(":", 1)[1] if ":" in text else text


def _compare(caller: CallerAnnotation, ann: Annotation) -> CallerComparison:
    ours_c = ann.hgvs_c.split(":", 1)[1]
    theirs_c = _strip(caller.hgvs_c)
    differs = bool(theirs_c) and theirs_c != ours_c
    # Same event only when something shows it: an identical c. name, or the same protein
    # change below. A differently spelled c. alone proves nothing either way.
    same: bool | None = True if theirs_c == ours_c else None
    if caller.hgvs_p:
        try:
            acc, body = split_reference(caller.hgvs_p)
            change = parse_protein(None if acc and acc.startswith("ENSP") else acc, body).change
            if change.short == ann.protein_change:
                same = True
            else:
                ours = ann.effect.change
                # A bare "p.R1230fs" names the codon where the caller placed the indel, not
                # the first changed residue: the two cannot be compared.
                same = None if change.kind == "fs" and ours and ours.kind == "fs" else False
            p_text = (_strip(caller.hgvs_p) or "").replace("(", "").replace(")", "")
            if p_text not in (ann.protein_change, f"p.{ann.effect.change.hgvs}" if ann.effect.change else None):
                differs = True
        except Her2scopeError:
            same, differs = None, True
    return CallerComparison(caller, same, differs)




def interpret_allele(build: Build, pos: int, ref: str, alt: str, *, options: Options = Options(),
                     source: str = "<call>", record: int | None = None,
                     sample: str | None = None) -> VariantResult:
    """One VCF-style ERBB2 allele (1-based POS; MAF indels as VCF with a padding base, or with
    an empty REF/ALT for the MAF '-' convention) -> the same result ``annotate`` produces.

    Raises Her2scopeError (e.g. ReferenceMismatchError) when it cannot be interpreted.
    """
    kb = load_knowledge(options.knowledge)
    provider = reference_of(options)
    start = pos - 1 if ref else pos       # MAF insertion: POS is the base before the insertion
    allele = GenomicAllele(build, start, ref.upper(), alt.upper())
    src = SourceRecord(source, record, f"{build.value}:{pos}:{ref or '-'}>{alt or '-'}", sample)
    verified = check_reference(allele, provider, allele.alt, where=src.original)
    return _result(Observation(src, build, allele=allele), provider, kb, options, verified, {})


def interpret_protein(text: str, *, options: Options = Options(), source: str = "<call>",
                      record: int | None = None, sample: str | None = None) -> VariantResult:
    """A protein-level ERBB2 change in any accepted spelling (``p.A775_G776insYVMA``,
    ``p.771_771A>AYVMA`` ...) -> result with hgvs_p, protein_change and classification."""
    kb = load_knowledge(options.knowledge)
    acc, body = split_reference(text)
    change = parse_protein(acc, body).change
    src = SourceRecord(source, record, text, sample)
    return _protein_result(Observation(src, None, protein=change), change, kb, [], dict(
        input=source, record=record, sample=sample, genotype=None, depth=None, vaf=None,
        filter=None, original=text, joined_records=()))
