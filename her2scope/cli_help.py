"""Help that teaches: one example per command, runnable on the bundled demo data, and a few
corrections to how the help shows options.

Typer prints the help; this module only adjusts the click command tree it builds, once, before the
command line runs (``polish``):

- every command's help ends with an example (its ``epilog``) that works on the bundled demo data
  (``tests/test_cli_help.py`` runs each one);
- flags are shown as flags: no ``<bool>`` value placeholder (Typer shows one for every flag);
- repeatable options and arguments show their element type (``<path>``), not ``<list[Path]>``, and
  say that they can be repeated;
- help paragraphs are re-flowed, so a docstring's line breaks never cut a sentence in the output.

Kept light: nothing here imports more than the standard library at start-up.
"""

from __future__ import annotations

import inspect
import os
import shlex
from importlib import resources

# Placeholders: {demo} = the bundled demo data folder, {kb_old}/{kb_new} = two bundled knowledge bases.
EXAMPLES: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("her2scope demo",),
    ("annotate",): ("her2scope annotate {demo}/patient01_yvma_grch38.vcf -f table",),
    ("demo",): ("her2scope demo -o demo-output/annotations.jsonl",),
    ("doctor",): ("her2scope doctor",),
    ("report",): ("her2scope report {demo}/cases/case01_yvma_after_one_line.yaml -o case01.html -o case01.json",),
    ("burden",): ("her2scope burden --format table --country USA,JPN",),
    ("serve",): ("her2scope serve --demo --insecure-cookies",),
    ("knowledge",): ("her2scope knowledge show",),
    ("knowledge", "show"): ("her2scope knowledge show",),
    ("knowledge", "diff"): ("her2scope knowledge diff {kb_old} {kb_new}",),
    ("cohort",): ("her2scope cohort prevalence demo",),
    ("cohort", "prevalence"): ("her2scope cohort prevalence demo --format json",),
    ("cohort", "report"): ("her2scope cohort report demo -o cohort.html",),
    ("cohort", "import"): ("her2scope cohort import demo -o demo-parquet",),
    ("cohort", "demo-path"): ("her2scope cohort demo-path",),
    ("registry",): ("her2scope registry demo --db demo.db",),
    ("registry", "demo"): ("her2scope registry demo --db demo.db",),
    ("registry", "init"): ("HER2SCOPE_PASSWORD=choose-a-long-password \\",
                           "  her2scope registry init --db demo.db --admin admin"),
    ("registry", "user-add"): ("her2scope registry demo --db demo.db",
                               "HER2SCOPE_PASSWORD=demo-admin-password HER2SCOPE_NEW_PASSWORD=nurse-password-1 \\",
                               "  her2scope registry user-add nurse1 --role viewer --db demo.db --user demo-admin"),
    ("registry", "token"): ("her2scope registry demo --db demo.db",
                            "HER2SCOPE_PASSWORD=demo-clinician-password \\",
                            "  her2scope registry token demo-clinician --db demo.db --user demo-clinician"),
    ("registry", "import"): ("her2scope registry demo --db demo.db",
                             "HER2SCOPE_PASSWORD=demo-admin-password \\",
                             "  her2scope registry import {registry_csv} --db demo.db --user demo-admin"),
    ("registry", "attach"): ("her2scope registry demo --db demo.db",
                             "HER2SCOPE_PASSWORD=demo-clinician-password her2scope registry attach \\",
                             "  DEMO-VCF03 {demo}/patient03_split_l755p_grch38.vcf --db demo.db --user demo-clinician"),
    ("registry", "worklist"): ("her2scope registry demo --db demo.db",
                               "HER2SCOPE_PASSWORD=demo-clinician-password \\",
                               "  her2scope registry worklist --db demo.db --user demo-clinician"),
    ("registry", "stats"): ("her2scope registry demo --db demo.db",
                            "HER2SCOPE_PASSWORD=demo-clinician-password \\",
                            "  her2scope registry stats --db demo.db --user demo-clinician"),
}
# Commands whose example starts a server rather than finishing: the help test parses it only.
LONG_RUNNING = {("serve",)}


def _shown(path: str) -> str:
    """A path as short as it can be written from here: relative inside the working directory."""
    try:
        rel = os.path.relpath(path)
    except ValueError:           # another drive (Windows)
        rel = path
    return shlex.quote(path if rel.startswith("..") else rel)


def placeholders() -> dict[str, str]:
    package = resources.files("her2scope")
    kbs = sorted(str(p) for p in (package / "knowledge" / "data").iterdir()
                 if p.name.startswith("erbb2_kb_v") and p.name.endswith(".yaml"))
    old, new = (kbs[-2], kbs[-1]) if len(kbs) > 1 else (kbs[-1], kbs[-1])
    return {"demo": _shown(str(package / "demo_data")), "kb_old": _shown(old), "kb_new": _shown(new),
            "registry_csv": _shown(str(package / "registry" / "data" / "import_example.csv"))}


def example_lines(path: tuple[str, ...], values: dict[str, str] | None = None) -> tuple[str, ...]:
    """The example shell lines for a command path, placeholders filled in."""
    values = values if values is not None else placeholders()
    return tuple(line.format(**values) for line in EXAMPLES.get(path, ()))


def _reflow(text: str | None) -> str | None:
    """Paragraphs joined into whole lines (a docstring's line breaks are not the reader's)."""
    if not text:
        return text
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def _element_type(param) -> str:
    type_ = getattr(param, "type", None)
    choices = getattr(type_, "choices", None)
    if choices:
        return "<" + "|".join(str(getattr(c, "value", c)) for c in choices) + ">"
    name = getattr(type_, "name", "text") or "text"
    return f"<{'text' if name in ('string', 'str') else name}>"


def _polish_param(param) -> None:
    if getattr(param, "is_flag", False) and not getattr(param, "count", False):
        param.metavar = ""                      # a flag takes no value
    elif getattr(param, "multiple", False) and param.metavar is None:
        param.metavar = _element_type(param)
        if param.help and "repeat" not in param.help.lower():
            param.help = param.help.rstrip() + " Repeat the option for more than one."
    elif getattr(param, "param_type_name", "") == "argument" and getattr(param, "nargs", 1) == -1:
        shown = _element_type(param) + "..."
        param.display_type_rich = lambda ctx: shown     # instead of <list[str]>
    if getattr(param, "help", None):
        param.help = _reflow(param.help)


def polish(command, path: tuple[str, ...] = (), values: dict[str, str] | None = None):
    """Adjust the help of ``command`` and every subcommand in place (see the module docstring)."""
    import typer

    values = values if values is not None else placeholders()
    command.help = _reflow(command.help)
    command.short_help = _reflow(command.short_help)
    lines = example_lines(path, values)
    if lines and not command.epilog:
        command.epilog = "Example (works on the bundled demo data):\n\n" + "\n".join(lines)
    for param in command.params:
        _polish_param(param)
    help_option = command.get_help_option(typer.Context(command))
    if help_option is not None:
        _polish_param(help_option)
    for name, sub in getattr(command, "commands", {}).items():
        polish(sub, path + (name,), values)
    return command
