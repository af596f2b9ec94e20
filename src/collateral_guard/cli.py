"""Command line: check, clean, annotate, rules, explain, init, config, baseline, vocabulary.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it;
2 a usage or configuration error, or an input that could not be scanned;
130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from collateral_guard import __version__
from collateral_guard.config import CONFIG_NAME, Config
from collateral_guard.errors import FatalError
from collateral_guard.findings import SEVERITIES, at_or_above
from collateral_guard.printable import printable
from collateral_guard.progress import Progress
from collateral_guard.reporters import FORMATS, Summary, make_reporter

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report them
NEXT_STEPS = """\
Next steps:
  1. Edit it: your own names ([vendor]), internal domains, customers and which folders are for which, your glossary.
  2. collateral-guard config --check        validate it
  3. collateral-guard check .               check your documents
  4. collateral-guard vocabulary add WORD   teach the spelling check your product names
  5. collateral-guard baseline .            accept what is there today; then set `baseline` in the file
                                            so check and the pre-commit hook fail only on new findings
See the README for the pre-commit hook and CI."""


def _names(values: tuple[str, ...]) -> tuple[str, ...]:
    """--select a,b --select c -> (a, b, c)"""
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


def _load(config_file: str | None, paths) -> Config:
    """The configuration for the first path (or the working folder), found as config_discovery says."""
    from collateral_guard.config_discovery import Configs

    return Configs(config_file).for_path(next((p for p in paths if p != "-"), "."))


def _tell_no_config(path: str) -> None:
    from collateral_guard.config_discovery import ENVIRONMENT, NO_CONFIG_NOTICE

    click.echo(NO_CONFIG_NOTICE.format(path=path, env=ENVIRONMENT), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="collateral-guard")
def cli() -> None:
    """Check sales collateral (Markdown, Word, PowerPoint, Excel) before it reaches a customer."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "never"]), default="error", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("--select", multiple=True, help="Only these rules or categories (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules or categories (comma-separated).")
@click.option("--customer", help="The customer this document is for (an id from the registry).")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help=f"Configuration file (default: nearest {CONFIG_NAME} or pyproject.toml).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Files scanned in parallel (default: the number of CPUs).")
@click.option("--baseline", "baseline_file", type=click.Path(exists=True, dir_okay=False),
              help="Report and fail only on findings not in this baseline.")
@click.option("--since", metavar="REV", help="Only files changed since this git revision.")
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them (text format).")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary line and files that could not be checked.")
@click.option("--fix", is_flag=True, help="Markdown: apply glossary wording and single-suggestion spellings.")
@click.option("--cache", "use_cache", is_flag=True,
              help="Reuse results of unchanged files from .collateral-guard-cache/ (kept in the project folder).")
def check(paths, output_format, output, fail_on, select, ignore, customer, config_file, jobs, baseline_file,
          since, statistics, quiet, fix, use_cache) -> None:
    """Scan PATHS (files, folders, or - for stdin) and report findings."""
    from collateral_guard.config_discovery import Baselines, Configs, Scanners, project_folder
    from collateral_guard.rules.registry import active_rules
    from collateral_guard.scan import Scanner, _excluded, changed_since, discover, scan_all

    paths = paths or (".",)
    if statistics and output_format != "text":
        raise FatalError("--statistics replaces the text listing; the other formats carry their own summary")
    if output and not Path(output).resolve().parent.is_dir():
        raise FatalError(f"--output {output}: folder {Path(output).parent} does not exist")
    if output:
        from collateral_guard.report_file import refuse_inputs

        refuse_inputs(output, paths)
    if since and since.startswith("-"):
        raise FatalError(f"--since {since}: a revision cannot start with '-'")
    configs = Configs(config_file, on_missing=None if quiet else _tell_no_config)
    select, ignore = _names(select), _names(ignore)

    def make_scanner(config: Config) -> Scanner:
        if customer:
            config.check_customer(customer, "--customer")
        rules = active_rules(config, select, ignore)
        cache = None
        if use_cache:
            from collateral_guard.result_cache import ResultCache, run_key

            key = run_key(config, sorted(f"{a.rule.info.id}:{a.severity}" for a in rules), (customer,))
            cache = ResultCache(project_folder(config), key)
        return Scanner(config, rules, customer, cache)

    scanner = Scanners(configs, make_scanner)
    for given in paths:  # configuration errors and unknown names stop the run before anything is scanned
        scanner.for_path(given)
    fixed = None
    if baseline_file:
        from collateral_guard.baseline import Baseline

        fixed = Baseline.load(Path(baseline_file))
    baselines = Baselines(configs)
    not_checked: list[str] = []  # documents in formats no reader supports, filled as the folders are walked
    targets = scanner.included(discover(paths, Config(), not_checked))
    changed = changed_since(since) if since else None
    if since:
        targets = (t for t in targets if t.source == "-" or os.path.realpath(t.source) in changed)
    if fix:
        from collateral_guard.fix import fix_files, refuse_other_formats

        refuse_other_formats(paths)
        targets = fix_files(targets, scanner, click.echo)
    jobs = jobs or os.cpu_count() or 1

    report_file = None
    if output:
        from collateral_guard.report_file import ReportFile

        report_file = ReportFile(output)  # renamed into place only when the run completes
    stream = report_file.stream if report_file else click.get_text_stream("stdout")
    color = not output and output_format == "text" and stream.isatty() and "NO_COLOR" not in os.environ
    if statistics:
        from collateral_guard.reporters.statistics import StatisticsReporter

        reporter = StatisticsReporter(stream)
    elif quiet and output_format == "text":
        from collateral_guard.reporters.text import TextReporter

        reporter = TextReporter(stream, color, quiet=True)
    else:
        rule_docs = {a.rule.info.id: a.rule.info for s in scanner.built.values() for a in s.rules}
        reporter = make_reporter(output_format, stream, list(rule_docs.values()), color)
    summary = Summary(fail_on=fail_on)
    progress = Progress(sys.stderr)
    failed = False
    scanned: set[str] = set()
    try:
        for result in scan_all(scanner, targets, jobs):
            scanned.add(result.path)
            baseline = fixed or baselines.for_path(result.path)
            if baseline:
                result = baseline.filter(result)
            summary.add(result)
            progress.update(len(result.findings))
            reporter.file_done(result)
            if result.error and output_format != "text":
                click.echo(f"{printable(result.path)}: cannot scan: {printable(result.error)}", err=True)
            if result.config_error and output_format != "text":
                click.echo(f"{printable(result.path)}: configuration error: {printable(result.config_error)}", err=True)
            for note in result.notes if output_format != "text" else ():
                click.echo(f"{printable(result.path)}: note: {printable(note)}", err=True)
            failed = failed or any(
                fail_on != "never" and at_or_above(f.severity, fail_on) for f in result.findings)
        progress.close()
        summary.not_checked.update(
            Path(p).suffix.lower() for p in not_checked
            if (changed is None or os.path.realpath(p) in changed) and not _excluded(p, configs.for_path(p)))
        stale = fixed.stale(scanned) if fixed else baselines.stale(scanned)
        summary.stale_baseline_entries = len(stale)
        for item in [] if quiet else stale:
            click.echo(f"{printable(item['path'])}: note: baseline entry no longer matches ({item.get('rule')} "
                       f"'{printable(item.get('match', ''))}'): regenerate the baseline to drop it", err=True)
        summary.failed = failed
        reporter.finish(summary)
        if summary.not_checked_line() and output_format != "text":
            click.echo(summary.not_checked_line(), err=True)
        if report_file:
            report_file.commit()
            report_file = None
    finally:
        if report_file:  # interrupted or failed: no half report
            report_file.discard()
    if summary.files == 0 and not since:
        raise FatalError(f"no Markdown, Word, PowerPoint or Excel files found in {', '.join(paths)}"
                         + (f" ({summary.not_checked_line()})" if summary.not_checked_line() else ""))
    if summary.unreadable or summary.config_errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def _scanner(config_file, paths, customer, select, ignore):
    from collateral_guard.rules.registry import active_rules
    from collateral_guard.scan import Scanner

    config = _load(config_file, paths)
    if customer:
        config.check_customer(customer, "--customer")
    return Scanner(config, active_rules(config, _names(select), _names(ignore)), customer)


def _office_options(command):
    """The options clean and annotate share with check."""
    for option in reversed((
        click.argument("source", type=click.Path(exists=True, dir_okay=False)),
        click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the new copy here."),
        click.option("--force", is_flag=True, help="Overwrite an existing output file."),
        click.option("--fail-on", type=click.Choice([*SEVERITIES, "never"]), default="error", show_default=True,
                     help="Exit 1 when a finding (in the copy) is at or above this severity."),
        click.option("--select", multiple=True, help="Only these rules or categories (comma-separated)."),
        click.option("--ignore", multiple=True, help="Skip these rules or categories (comma-separated)."),
        click.option("--customer", help="The customer this document is for (an id from the registry)."),
        click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False)),
    )):
        command = option(command)
    return command


@cli.command()
@_office_options
@click.option("--in-place", is_flag=True, help="Replace SOURCE with its cleaned copy.")
@click.option("--keep-notes", is_flag=True, help="Keep the speaker notes of a deck.")
def clean(source, output, force, fail_on, select, ignore, customer, config_file, in_place, keep_notes) -> None:
    """Write a copy of a Word file, deck or workbook that is safe to send: comments, tracked changes,
    hidden content and revealing properties removed, as Inspect Document does. Then report what
    visible content still needs fixing."""
    from collateral_guard.office.commands import clean as clean_file

    scanner = _scanner(config_file, (source,), customer, select, ignore)
    stdout = click.get_text_stream("stdout")
    sys.exit(clean_file(source, output, in_place, force, keep_notes, scanner, fail_on, stdout, _color(stdout)))


@cli.command()
@_office_options
def annotate(source, output, force, fail_on, select, ignore, customer, config_file) -> None:
    """Write a review copy of a Word file (or deck) with one comment per finding."""
    from collateral_guard.office.commands import annotate as annotate_file

    scanner = _scanner(config_file, (source,), customer, select, ignore)
    stdout = click.get_text_stream("stdout")
    sys.exit(annotate_file(source, output, force, scanner, fail_on, stdout))


def _color(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


@cli.command("baseline")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Default: the configuration's `baseline`, else .collateral-guard-baseline.json.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None)
def make_baseline(paths, output, config_file, jobs) -> None:
    """Record the current findings in PATHS, so `check --baseline` reports only new ones."""
    from collateral_guard.baseline import write_baseline
    from collateral_guard.rules.registry import active_rules
    from collateral_guard.scan import Scanner, discover, scan_all

    paths = paths or (".",)
    config = _load(config_file, paths)
    output = output or config.baseline or ".collateral-guard-baseline.json"
    if not Path(output).resolve().parent.is_dir():
        raise FatalError(f"--output {output}: folder {Path(output).parent} does not exist")
    scanner = Scanner(config, active_rules(config))
    results = list(scan_all(scanner, discover(paths, config), jobs or os.cpu_count() or 1))
    for result in results:
        if result.error:
            click.echo(f"{result.path}: cannot scan: {result.error}", err=True)
    count = write_baseline(results, Path(output))
    click.echo(f"wrote {count} finding{'s' if count != 1 else ''} from {len(results)} files to {output}")
    if any(r.error for r in results):
        sys.exit(EXIT_ERROR)


@cli.command("rules")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False))
def list_rules(config_file) -> None:
    """List every rule with its id, category, severity and summary."""
    from collateral_guard.rules.registry import documented_rules

    infos = documented_rules(_load(config_file, ()))
    width = max(len(i.id) for i in infos)
    for info in sorted(infos, key=lambda i: (i.category, i.id)):
        click.echo(f"{info.id:<{width}}  {info.category:<15} {info.severity:<8} {info.summary}")


@cli.command()
@click.argument("rule")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False))
def explain(rule, config_file) -> None:
    """Show a rule's documentation and its examples, or the rules of a category."""
    from collateral_guard.rules.registry import documented_rules

    infos = {i.id: i for i in documented_rules(_load(config_file, ()))}
    info = infos.get(rule)
    if info is None:
        in_category = sorted((i for i in infos.values() if i.category == rule), key=lambda i: i.id)
        if in_category:
            width = max(len(i.id) for i in in_category)
            click.echo(f"{rule}: {len(in_category)} rule{'s' if len(in_category) != 1 else ''}\n")
            for i in in_category:
                click.echo(f"  {i.id:<{width}}  {i.severity:<8} {i.summary}")
            click.echo("\n`collateral-guard explain RULE` shows one in full.")
            return
        from difflib import get_close_matches

        close = get_close_matches(rule, [*infos, *{i.category for i in infos.values()}], n=3, cutoff=0.6)
        hint = f": did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise FatalError(f"unknown rule or category '{rule}'{hint} (see `collateral-guard rules`)")
    click.echo(f"{info.id} ({info.category}, default severity {info.severity})\n")
    click.echo(f"{info.summary}\n\n{info.description}\n")
    click.echo("Reads: " + ", ".join(sorted(info.scopes)) + "\n")
    if info.skips:
        click.echo("Exceptions (not flagged when the match is):")
        for skip in info.skips:
            click.echo(f"  - {skip}")
        click.echo("")
    if info.options:
        click.echo("Options ([rules." + info.id + "] in the configuration):")
        for name, default in info.options.items():
            click.echo(f"  {name} = {default!r}")
        click.echo("")
    if info.example_format == "docx":
        click.echo("Examples are Word documents: [comment by Name: text], [deleted: text], [inserted: text],\n"
                   "[hidden: text] and [property Name: value] stand for what the file holds.\n")
    if info.example_format == "pptx":
        click.echo("Examples are PowerPoint decks: [slide: text] is a slide's text, [notes: text] its speaker notes.\n")
    click.echo("Flagged:")
    for example in info.bad:
        click.echo("  ✗ " + example.strip().replace("\n", "\n    "))
    click.echo("Not flagged:")
    for example in info.good:
        click.echo("  ✓ " + example.strip().replace("\n", "\n    "))


@cli.command()
@click.option("--path", "target", type=click.Path(dir_okay=False), default=CONFIG_NAME, show_default=True)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(target, force) -> None:
    """Write a commented starter configuration."""
    from importlib import resources

    destination = Path(target)
    if destination.exists() and not force:
        raise FatalError(f"{destination} already exists (use --force to overwrite)")
    starter = resources.files("collateral_guard").joinpath("data/starter-config.toml").read_text("utf-8")
    destination.write_text(starter, encoding="utf-8")
    click.echo(f"wrote {destination}\n\n" + NEXT_STEPS)


@cli.group()
def vocabulary() -> None:
    """Manage the words the spelling check accepts."""


@vocabulary.command("add")
@click.argument("words", nargs=-1, required=True)
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False))
def vocabulary_add(words, config_file) -> None:
    """Append WORDS to the configured vocabulary file, sorted and without duplicates."""
    config = _load(config_file, ())
    if config.vocabulary_file is None:
        raise FatalError("no vocabulary-file in the configuration: add `vocabulary-file = \"vocabulary.txt\"` "
                         f"to {config.path or CONFIG_NAME}")
    path = config.vocabulary_file
    existing = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    comments = [line for line in existing if line.startswith("#")]
    entries = {line.strip() for line in existing if line.strip() and not line.startswith("#")}
    added = sorted(set(words) - entries)
    entries.update(words)
    path.write_text("\n".join([*comments, *sorted(entries, key=lambda w: (w.lower(), w))]) + "\n", encoding="utf-8")
    click.echo(f"added {len(added)} word{'s' if len(added) != 1 else ''} to {path}"
               + (f": {', '.join(added)}" if added else ""))


@cli.command("config")
@click.argument("path", default=".", type=click.Path())
@click.option("--check", "validate", is_flag=True, help="Validate the configuration: exit 0 if usable, 2 if not.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False))
def show_config(path, validate, config_file) -> None:
    """Show the configuration in effect for PATH: its file, customers, domains, overrides, baseline."""
    from collateral_guard.config_discovery import Configs
    from collateral_guard import config_report

    configs = Configs(config_file)
    if validate:
        click.echo(config_report.check(configs, path))
        return
    click.echo("\n".join(config_report.describe(configs, path)))


@vocabulary.command("list")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False))
def vocabulary_list(config_file) -> None:
    """Print the words the spelling check accepts, from the configuration and the vocabulary file."""
    config = _load(config_file, ())
    for word in sorted(config.vocabulary_words(), key=lambda w: (w.lower(), w)):
        click.echo(word)


@vocabulary.command("remove")
@click.argument("words", nargs=-1, required=True)
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False))
def vocabulary_remove(words, config_file) -> None:
    """Remove WORDS from the configured vocabulary file."""
    config = _load(config_file, ())
    path = config.vocabulary_file
    if path is None or not path.is_file():
        raise FatalError(f"no vocabulary file to remove words from ({path or 'vocabulary-file is not set'})")
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.startswith("#") or line.strip() not in words]
    removed = sorted({line.strip() for line in lines if not line.startswith("#")} & set(words))
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    click.echo(f"removed {len(removed)} word{'s' if len(removed) != 1 else ''} from {path}"
               + (f": {', '.join(removed)}" if removed else ""))
    in_config = sorted(set(words) & set(config.vocabulary))
    if in_config:
        click.echo(f"still accepted from `vocabulary` in {config.path}: {', '.join(in_config)} (edit it there)")


class Terminated(BaseException):
    """SIGTERM, raised where the main process is, so that clean-up runs as for Ctrl-C."""


def _terminate(signum, frame) -> None:
    raise Terminated


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli(standalone_mode=False)
    except KeyboardInterrupt:
        _interrupted(EXIT_INTERRUPTED)
    except Terminated:
        _interrupted(EXIT_TERMINATED)
    except FatalError as error:
        click.echo(f"collateral-guard: error: {printable(str(error))}", err=True)
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:  # Ctrl-C inside a click prompt
        _interrupted(EXIT_INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_ERROR)
    except Exception as error:  # a bug: say so in one line and fail closed
        click.echo(f"collateral-guard: internal error: {type(error).__name__}: {error}", err=True)
        sys.exit(EXIT_ERROR)


def _interrupted(code: int) -> None:
    # A second signal while shutting down must not print a traceback either.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        click.echo("collateral-guard: interrupted", err=True)
    except OSError:
        pass
    sys.exit(code)
