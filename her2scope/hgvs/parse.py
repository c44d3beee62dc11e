"""Parse the HGVS (and legacy) spellings labs actually send, for ERBB2.

Accepted (one expression per line in a file):
  NM_004448.4:c.2313_2324dup        ERBB2:c.929C>T         c. on the MANE transcript
  NC_000017.10:g.37880981_37880982insGCATACGTGATG          g. on a RefSeq chromosome (build from version)
  chr17:g.37868208C>T  17:g.37868208C>T                     g. on a chromosome name (needs --build)
  NC_000017.10:g.37879601_37879602delTTinsAG  c.1976_1977del2insAG  c.1976_1977TT>AG  c.…delTT
                                                legacy: deleted bases (or their count) spelled
                                                out; checked against the reference, never trusted
  ERBB2:p.Y772_A775dup   ERBB2 p.Tyr772_Ala775dup   NP_004439.2:p.(Tyr772_Ala775dup)
  p.A775_G776insYVMA   p.G776delinsVC   p.G776VinsC   p.G776>VC   G776VC   p.R1230fs
  Oncotator: p.771_771A>AYVMA   p.776_776G>VC
A protein change is applied to NP_004439.2 and described again from the result, so every
spelling of one event comes out in one canonical form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import MalformedRecordError, ReferenceMismatchError, UnsupportedReferenceError
from ..genome.builds import Build, build_from_accession
from ..genome.transcript import erbb2
from ..genome.translate import ONE_LETTER, THREE_LETTER
from .location import CPos, parse_cpos
from .protein import ProteinChange, compare

TRANSCRIPT = "NM_004448.4"
PROTEIN = "NP_004439.2"
_AA3 = "|".join(sorted((v for v in THREE_LETTER.values()), key=len, reverse=True))
_AA = rf"(?:{_AA3}|[ACDEFGHIKLMNPQRSTVWY*])"
_SEQ = rf"(?:{_AA})+"


@dataclass(frozen=True, slots=True)
class DnaExpression:
    """A parsed c. or g. expression: ``kind`` sub/del/dup/ins/delins; positions 0-based
    genomic on ``build`` (c. expressions are placed on the build the caller chooses)."""

    system: str                  # "c" or "g"
    accession: str | None
    build: Build | None
    first: str                   # position text as written (c. or g.)
    last: str
    kind: str
    ref: str | None              # stated reference bases, if any
    alt: str
    ref_length: int | None = None    # how many reference bases the expression states, if any


@dataclass(frozen=True, slots=True)
class ProteinExpression:
    change: ProteinChange
    text: str


def _aa1(token: str) -> str:
    if len(token) == 3:
        if token not in ONE_LETTER:
            raise MalformedRecordError(f"unknown amino acid {token!r}")
        return ONE_LETTER[token]
    return token


def _seq1(text: str) -> str:
    return "".join(_aa1(t) for t in re.findall(_AA, text))


_PREFIX = re.compile(r"^(?:(?P<acc>[A-Za-z][A-Za-z0-9_]*(?:\.\d+)?)\s*[: ]\s*)?(?P<body>.*)$")


def split_reference(text: str) -> tuple[str | None, str]:
    m = _PREFIX.match(text.strip())
    assert m is not None   # every part of the pattern is optional: it matches any text
    acc, body = m["acc"], m["body"].strip()
    if acc and not re.match(r"^[cgpn]\.", body) and not re.match(r"^[A-Z]", body):
        return None, text.strip()
    return acc, body


# ---------------------------------------------------------------------------- DNA
_DNA_POS = r"\*?-?\d+(?:[+-]\d+)?"
_DNA = re.compile(
    rf"^(?P<sys>[cg])\.(?P<first>{_DNA_POS})(?:_(?P<last>{_DNA_POS}))?"
    r"(?:(?P<subref>[ACGTN])>(?P<subalt>[ACGTN])"
    r"|(?P<delins>delins)(?P<delins_alt>[ACGTN]+)"
    # Legacy delins with the deleted bases (or their count) spelled out, as the Cancer Genome
    # Interpreter and older lab reports write it: g.37879601_37879602delTTinsAG.
    r"|(?P<legacy>del)(?P<legacy_ref>[ACGTN]+|\d+)ins(?P<legacy_alt>[ACGTN]+)"
    r"|(?P<multiref>[ACGTN]{2,})>(?P<multialt>[ACGTN]+)"     # legacy c.1976_1977TT>AG
    r"|(?P<del>del)(?P<del_ref>[ACGTN]+|\d+)?"
    r"|(?P<dup>dup)(?P<dup_ref>[ACGTN]+|\d+)?"
    r"|(?P<ins>ins)(?P<ins_alt>[ACGTN]+))$")


# No ERBB2 position or count has more than 9 digits (chr17 is 83 Mb); a longer number is refused
# before int() sees it (Python refuses to convert numbers of over 4,300 digits with a ValueError).
_HUGE_NUMBER = re.compile(r"\d{10,}")


def _refuse_huge_numbers(text: str) -> None:
    m = _HUGE_NUMBER.search(text)
    if m:
        raise MalformedRecordError(f"{text[:60]!r}{'...' if len(text) > 60 else ''}: a number of "
                                   f"{len(m.group())} digits is not a position or a count")


def parse_dna(accession: str | None, body: str, *, chromosome_build: Build | None) -> DnaExpression:
    _refuse_huge_numbers(body)
    m = _DNA.match(body.replace(" ", ""))
    if not m:
        raise MalformedRecordError(f"cannot parse {body!r} as an HGVS c. or g. description")
    system = m["sys"]
    build = None
    if system == "c":
        _check_transcript(accession)
    else:
        build = _genomic_build(accession, chromosome_build)
    first, last = m["first"], m["last"] or m["first"]
    kind, ref, alt, count = _dna_change(m, body)
    if system == "g" and (not first.isdigit() or not last.isdigit()):
        raise MalformedRecordError(f"{body!r}: g. positions are plain integers")
    return DnaExpression(system, accession, build, first, last, kind, ref, alt, count)


def _check_transcript(accession: str | None) -> None:
    """A c. expression must be on the modelled transcript (or name no reference, or the gene)."""
    if accession in (None, TRANSCRIPT, "ERBB2"):
        return
    if accession and accession.split(".")[0] == TRANSCRIPT.split(".")[0]:
        raise UnsupportedReferenceError(
            f"{accession} is not modelled: her2scope names variants on {TRANSCRIPT} (MANE "
            "Select); other versions may be numbered differently. Re-express on "
            f"{TRANSCRIPT} or give genomic coordinates")
    raise UnsupportedReferenceError(
        f"reference sequence {accession} is not supported: her2scope interprets ERBB2 "
        f"on {TRANSCRIPT} (c.), {PROTEIN} (p.) and NC_000017.10/.11 (g.)")


def _genomic_build(accession: str | None, chromosome_build: Build | None) -> Build:
    """The build of a g. expression: from its RefSeq accession, or the one given for chr17/17."""
    if accession is None:
        raise UnsupportedReferenceError("a g. description needs a chromosome: NC_000017.11:g.…")
    build = build_from_accession(accession)
    if build is not None:
        return build
    if accession not in ("chr17", "17"):
        raise UnsupportedReferenceError(
            f"reference sequence {accession} is not supported for g.: use NC_000017.10/.11 "
            "or chr17 with --build")
    if chromosome_build is None:
        raise MalformedRecordError(
            f"{accession}:g. does not say which genome build it is on: pass --build "
            "or use NC_000017.10 (GRCh37) / NC_000017.11 (GRCh38)")
    return chromosome_build


def _dna_change(m: re.Match[str], body: str) -> tuple[str, str | None, str, int | None]:
    """Kind, stated reference bases, inserted bases and stated reference length of a matched
    c./g. description."""
    count = None
    if m["subref"]:
        if m["last"]:
            raise MalformedRecordError(f"{body!r}: a substitution names a single position")
        kind, ref, alt = "sub", m["subref"], m["subalt"]
    elif m["delins"]:
        kind, ref, alt = "delins", None, m["delins_alt"]
    elif m["legacy"] or m["multiref"]:
        kind, alt = "delins", m["legacy_alt"] or m["multialt"]
        ref, count = _stated(m["legacy_ref"] or m["multiref"])
    elif m["del"]:
        kind, alt = "del", ""
        ref, count = _stated(m["del_ref"])
    elif m["dup"]:
        kind, alt = "dup", ""
        ref, count = _stated(m["dup_ref"])
    else:
        if not m["last"]:
            raise MalformedRecordError(f"{body!r}: an insertion names the two flanking positions")
        kind, ref, alt = "ins", None, m["ins_alt"]
    return kind, ref, alt, count


def _stated(text: str | None) -> tuple[str | None, int | None]:
    """The reference bases an expression spells out (``delTT``, ``dupGCA``) and their count;
    a bare count (``del2``) gives no bases.  Both are checked once the expression is placed."""
    if not text:
        return None, None
    if text.isdigit():
        return None, int(text)
    return text, len(text)


def dna_positions(expr: DnaExpression, build: Build) -> tuple[int, int]:
    """0-based genomic indices of the first and last named positions."""
    if expr.system == "g":
        a, b = int(expr.first) - 1, int(expr.last) - 1
    else:
        tx = erbb2()
        a = tx.to_genome(build, tx.from_cpos(parse_cpos(expr.first)))
        b = tx.to_genome(build, tx.from_cpos(parse_cpos(expr.last)))
    if b < a:
        raise MalformedRecordError(f"positions {expr.first}_{expr.last} are in the wrong order")
    if expr.kind == "ins" and b != a + 1:
        raise MalformedRecordError(
            f"insertion flanks {expr.first}_{expr.last} are not adjacent positions")
    return a, b


# ---------------------------------------------------------------------------- protein
_P_BODY = re.compile(r"^(?:p\.)?\(?(?P<body>.*?)\)?$")
_P_PATTERNS = [
    ("oncotator", re.compile(rf"^(?P<s>\d+)_(?P<e>\d+)(?P<ref>{_SEQ})>(?P<alt>{_SEQ})$")),
    ("sub", re.compile(rf"^(?P<a>{_AA})(?P<s>\d+)(?P<alt>{_AA}|=|\?)$")),
    ("del", re.compile(rf"^(?P<a>{_AA})(?P<s>\d+)(?:_(?P<b>{_AA})(?P<e>\d+))?del(?P<seq>{_SEQ})?$")),
    ("dup", re.compile(rf"^(?P<a>{_AA})(?P<s>\d+)(?:_(?P<b>{_AA})(?P<e>\d+))?dup(?P<seq>{_SEQ})?$")),
    ("ins", re.compile(rf"^(?P<a>{_AA})(?P<s>\d+)_(?P<b>{_AA})(?P<e>\d+)ins(?P<alt>{_SEQ})$")),
    ("delins", re.compile(
        rf"^(?P<a>{_AA})(?P<s>\d+)(?:_(?P<b>{_AA})(?P<e>\d+))?(?:delins|>)(?P<alt>{_SEQ})$")),
    ("subins", re.compile(rf"^(?P<a>{_AA})(?P<s>\d+)(?P<sub>{_AA})ins(?P<alt>{_SEQ})$")),
    ("fs", re.compile(rf"^(?P<a>{_AA})(?P<s>\d+)(?P<alt>{_AA})?fs(?:(?:\*|Ter|X)(?P<ter>\d+|\?)?)?$")),
    ("ext", re.compile(rf"^(?P<a>{_AA})(?P<s>\d+)(?P<alt>{_AA})ext(?:\*|Ter|X)(?P<ter>\d+|\?)$")),
    ("multi", re.compile(rf"^(?P<a>{_AA})(?P<s>\d+)(?P<alt>(?:{_AA}){{2,}})$")),
]


def parse_protein(accession: str | None, text: str) -> ProteinExpression:
    _refuse_huge_numbers(text)
    if accession not in (None, "ERBB2", "HER2", PROTEIN):
        raise UnsupportedReferenceError(
            f"reference sequence {accession} is not supported: her2scope describes ERBB2 proteins "
            f"on {PROTEIN} (1,255 aa; other isoforms such as NP_001005862 are numbered differently)")
    m = _P_BODY.match(text.strip().replace(" ", ""))
    body = m["body"] if m else text
    protein = erbb2().protein
    for kind, pattern in _P_PATTERNS:
        pm = pattern.match(body)
        if pm:
            return ProteinExpression(_apply(kind, pm, protein, text), text)
    raise MalformedRecordError(f"cannot parse {text!r} as a protein change")


def _check(protein: str, pos: int, stated: str, text: str) -> None:
    if not 1 <= pos <= len(protein) + 1:
        raise MalformedRecordError(f"{text}: residue {pos} is outside {PROTEIN} (1..{len(protein)})")
    actual = (protein + "*")[pos - 1]
    if actual != stated:
        raise ReferenceMismatchError(
            f"{text}: residue {pos} of {PROTEIN} is {THREE_LETTER[actual]} ({actual}), not "
            f"{THREE_LETTER.get(stated, stated)} ({stated}); likely cause: numbered on another "
            "ERBB2 isoform or transcript version (e.g. the 1,225-aa NP_001005862), or a typo",
            expected=actual, observed=stated,
            likely_causes=("another isoform or transcript version", "typo"))


def _apply(kind: str, m: re.Match[str], protein: str, text: str) -> ProteinChange:
    s = int(m["s"])
    e = int(m["e"]) if m.groupdict().get("e") else s
    if kind == "oncotator":
        return _apply_oncotator(m, protein, text, s)
    a = _aa1(m["a"])
    _check(protein, s, a, text)
    if m.groupdict().get("b"):
        _check(protein, e, _aa1(m["b"]), text)
        if e < s:
            raise MalformedRecordError(f"{text}: residues are in the wrong order")
    if kind == "sub":
        return _apply_sub(m["alt"], a, s, protein, text)
    if kind == "ext":
        return _apply_ext(m, a, s, protein, text)
    if kind == "fs":
        return _apply_fs(m, a, s, protein, text)
    return _diff(protein, _edited(kind, m, protein, s, e, text), s)


def _apply_oncotator(m: re.Match[str], protein: str, text: str, s: int) -> ProteinChange:
    """Oncotator's ``p.771_771A>AYVMA``: the stated residues replaced by the new ones (a range
    written with one position covers as many residues as are stated)."""
    ref, alt = _seq1(m["ref"]), _seq1(m["alt"])
    e = s + len(ref) - 1 if int(m["e"]) == s else int(m["e"])
    for k, aa in enumerate(ref):
        _check(protein, s + k, aa, text)
    return _diff(protein, protein[:s - 1] + alt + protein[e:], s)


def _apply_sub(alt: str, a: str, s: int, protein: str, text: str) -> ProteinChange:
    if alt == "=":
        return ProteinChange("synonymous", s, s, a)
    if alt == "?":
        if s == 1:
            return ProteinChange("start_lost", 1, 1, "M")
        raise MalformedRecordError(f"{text}: p.? is only meaningful at the start codon")
    alt1 = _aa1(alt)
    if alt1 == "*":
        return ProteinChange("nonsense", s, s, a)
    return _diff(protein, protein[:s - 1] + alt1 + protein[s:], s)


def _apply_ext(m: re.Match[str], a: str, s: int, protein: str, text: str) -> ProteinChange:
    # C-terminal extension (HGVS: p.Ter110GlnextTer17): only the stop codon can be extended.
    if a != "*" or s != len(protein) + 1:
        raise MalformedRecordError(f"{text}: an extension starts at the stop codon "
                                   f"(Ter{len(protein) + 1})")
    alt1, ter = _aa1(m["alt"]), m["ter"]
    return ProteinChange("ext", s, s, "*", alt1, int(ter) if ter.isdigit() else None)


def _apply_fs(m: re.Match[str], a: str, s: int, protein: str, text: str) -> ProteinChange:
    new = _aa1(m["alt"]) if m["alt"] else ""
    ter = m["ter"]
    if (protein + "*")[s - 1] == "*":
        raise MalformedRecordError(f"{text}: a frameshift cannot start at the stop codon")
    return ProteinChange("fs", s, s, a, new, int(ter) if ter and ter.isdigit() else None)


def _edited(kind: str, m: re.Match[str], protein: str, s: int, e: int, text: str) -> str:
    """The protein sequence after a deletion, duplication, insertion or replacement of residues s..e."""
    if kind == "del":
        return protein[:s - 1] + protein[e:]
    if kind == "dup":
        return protein[:e] + protein[s - 1:e] + protein[e:]
    if kind == "ins":
        if e != s + 1:
            raise MalformedRecordError(f"{text}: insertion flanks must be adjacent residues")
        return protein[:s] + _seq1(m["alt"]) + protein[s:]
    if kind == "delins":
        return protein[:s - 1] + _seq1(m["alt"]) + protein[e:]
    if kind == "subins":
        return protein[:s - 1] + _aa1(m["sub"]) + _seq1(m["alt"]) + protein[s:]
    if kind == "multi":
        return protein[:s - 1] + _seq1(m["alt"]) + protein[s:]
    raise MalformedRecordError(f"cannot parse {text!r}")


def _diff(protein: str, alt: str, first: int) -> ProteinChange:
    # A stop inside the stated residues is a new stop (a truncation); otherwise the changed
    # protein keeps the reference stop after the reference residues that follow the change.
    truncated = "*" in alt
    alt = alt[:alt.index("*") + 1] if truncated else alt + "*"
    return compare(protein + "*", alt, first_changed_codon=first, new_stop=truncated)


def canonical_protein_change(text: str) -> str:
    """The canonical short form (``p.Y772_A775dup``) of any accepted protein spelling."""
    acc, body = split_reference(text)
    return parse_protein(acc, body).change.short


__all__ = ["DnaExpression", "ProteinExpression", "parse_dna", "parse_protein", "dna_positions",
           "split_reference", "canonical_protein_change", "CPos"]
