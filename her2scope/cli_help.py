"""Help that teaches: one example per command, runnable on the bundled demo data, and a few
corrections to how the help shows options.

Typer prints the help; this module only adjusts the click command tree it builds, once, before the
command line runs (``polish``):

- every command's help ends with an example (its ``epilog``) that works on the bundled demo data
  (``tests/test_cli_help.py`` runs each one);
- flags are shown as flags: no ``<bool>`` value placeholder (Typer shows one for every flag);
- repeatable options show their element type (``<path>``), not ``<list[Path]>``, and
  say that they can be repeated;
- help paragraphs are re-flowed, so a docstring's line breaks never cut a sentence in the output.

Kept light: nothing here imports more than the standard library at start-up.
"""

from __future__ import annotations

import inspect
import os
import shlex
from importlib import resources

import typer

DEMO_DB = "her2scope registry demo --db demo.db"


def _acting(role: str, command: str) -> tuple[str, ...]:
    """A registry command run as one of the demo users (their passwords are printed by 'registry demo'),
    in lines short enough for an 80-column terminal."""
    line = f"  her2scope registry {command} --db demo.db --user demo-{role}"
    if len(line) <= 78:
        return (f"HER2SCOPE_PASSWORD=demo-{role}-password \\", line)
    return (f"HER2SCOPE_PASSWORD=demo-{role}-password \\", f"  her2scope registry {command} \\",
            f"  --db demo.db --user demo-{role}")


# Placeholders: {demo} = the bundled demo data folder, {registry_csv} = the registry's example CSV.
EXAMPLES: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("her2scope demo",),
    ("annotate",): ("her2scope annotate {demo}/patient01_yvma_grch38.vcf -f table",),
    ("demo",): ("her2scope demo -o demo-output/annotations.jsonl",),
    ("doctor",): ("her2scope doctor",),
    ("report",): ("her2scope report {demo}/cases/case01_yvma_after_one_line.yaml \\",
                  "  -o case01.html -o case01.json"),
    ("burden",): ("her2scope burden --format table --country USA,JPN",),
    ("serve",): ("her2scope serve --demo --insecure-cookies",),
    ("sweep",): ("her2scope sweep {demo}/cases -o demo-sweep --jobs 2",),
    ("knowledge",): ("her2scope knowledge show",),
    ("knowledge", "show"): ("her2scope knowledge show",),
    ("knowledge", "diff"): ("her2scope knowledge diff v1 v2",),
    ("knowledge", "audit"): ("her2scope knowledge audit --stale-days 365",),
    ("cohort",): ("her2scope cohort prevalence demo",),
    ("cohort", "prevalence"): ("her2scope cohort prevalence demo --format json",),
    ("cohort", "report"): ("her2scope cohort report demo -o cohort.html",),
    ("cohort", "import"): ("her2scope cohort import demo -o demo-parquet",),
    ("cohort", "demo-path"): ("her2scope cohort demo-path",),
    ("cohort", "check"): ("her2scope cohort check demo",),
    ("registry",): (DEMO_DB,),
    ("registry", "demo"): (DEMO_DB,),
    ("registry", "init"): ("HER2SCOPE_PASSWORD=choose-a-long-password \\",
                           "  her2scope registry init --db demo.db --admin admin"),
    ("registry", "user-add"): (DEMO_DB, "export HER2SCOPE_NEW_PASSWORD=nurse-password-1",
                               *_acting("admin", "user-add nurse --role viewer")),
    ("registry", "users"): (DEMO_DB, *_acting("admin", "users")),
    ("registry", "user-deactivate"): (DEMO_DB, *_acting("admin", "user-deactivate demo-viewer")),
    ("registry", "user-activate"): (DEMO_DB, *_acting("admin", "user-activate demo-viewer")),
    ("registry", "user-password"): (DEMO_DB, "export HER2SCOPE_NEW_PASSWORD=a-new-long-password",
                                    *_acting("admin", "user-password demo-viewer")),
    ("registry", "token"): (DEMO_DB, *_acting("clinician", "token demo-clinician")),
    ("registry", "tokens"): (DEMO_DB, *_acting("admin", "tokens --all")),
    ("registry", "token-revoke"): (DEMO_DB, *_acting("clinician", "token demo-clinician"),
                                   *_acting("clinician", "token-revoke 1")),
    ("registry", "import"): (DEMO_DB, "HER2SCOPE_PASSWORD=demo-admin-password \\",
                             "  her2scope registry import --db demo.db --user demo-admin \\",
                             "  {registry_csv}"),
    ("registry", "attach"): (DEMO_DB, "HER2SCOPE_PASSWORD=demo-clinician-password \\",
                             "  her2scope registry attach --db demo.db --user demo-clinician \\",
                             "  DEMO-VCF03 {demo}/patient03_split_l755p_grch38.vcf"),
    ("registry", "worklist"): (DEMO_DB, *_acting("clinician", "worklist")),
    ("registry", "stats"): (DEMO_DB, *_acting("clinician", "stats")),
    ("registry", "report"): (DEMO_DB, *_acting("clinician", "report DEMO-VCF01 -o DEMO-VCF01.html")),
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
    return {"demo": _shown(str(package / "demo_data")),
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
    """How one value of a repeatable option looks: <path>, <text>, <a|b|c> (the click type's name,
    with "text" for a string, as click says; typer names it "str")."""
    ptype = param.type
    choices = getattr(ptype, "choices", None)
    if choices:
        return "<" + "|".join(str(getattr(c, "value", c)) for c in choices) + ">"
    name = getattr(ptype, "name", "text")
    return "<text>" if name == "str" else f"<{name}>"


def _polish_param(param) -> None:
    if getattr(param, "is_flag", False) and not getattr(param, "count", False):
        param.metavar = ""                      # a flag takes no value
    elif getattr(param, "multiple", False) and param.metavar is None:
        param.metavar = _element_type(param)
        if param.help and "repeat" not in param.help.lower():
            param.help = param.help.rstrip() + " Repeat the option for more than one."
    if getattr(param, "help", None):
        param.help = _reflow(param.help)


def polish(command, path: tuple[str, ...] = (), values: dict[str, str] | None = None):
    """Adjust the help of ``command`` and every subcommand in place (see the module docstring)."""
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
