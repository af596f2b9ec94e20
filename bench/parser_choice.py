"""Parse speed of the Markdown parsers the reader could sit on, on the same real files.

    pip install markdown-it-py mdit-py-plugins comrak-ext   # not dependencies (pyromark is the one used)
    python bench/parser_choice.py [--files 4000] [--rounds 3] [--shared ../shared]

Each parser reads every file with the features the reader needs (tables,
strikethrough, footnotes, front matter) and hands back everything the reader
would walk: markdown-it-py's token stream, pyromark's events with byte ranges,
comrak's node tree with source positions (visited, since it is built lazily).
CPU time of this one process, files already in memory; parsers run in turn, round
after round, and the median round is kept.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def texts(archive_path: Path, count: int) -> list[str]:
    """The first ``count`` Markdown files in name order (as bench/run.py takes them), read in archive order:
    a compressed archive read out of order is decompressed again from the start for every file."""
    with tarfile.open(archive_path) as archive:
        names = sorted(m.name for m in archive if m.isfile() and m.name.endswith(".md"))[:count]
    chosen, found = set(names), {}
    with tarfile.open(archive_path) as archive:
        for member in archive:
            if member.name in chosen:
                found[member.name] = archive.extractfile(member).read().decode("utf-8", "replace")
    return [found[name] for name in names]


def markdown_it_py():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin).use(footnote_plugin)
    return parser.parse


def pyromark_events():
    import pyromark

    options = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
               | pyromark.Options.ENABLE_FOOTNOTES | pyromark.Options.ENABLE_YAML_STYLE_METADATA_BLOCKS)
    return lambda text: tuple(pyromark.events_with_range(text, options=options))


def comrak_tree():
    import comrak

    extensions = comrak.ExtensionOptions(table=True, strikethrough=True, footnotes=True, front_matter_delimiter="---")

    def parse(text: str) -> int:
        seen, stack = 0, [comrak.parse_document(text, extensions)]
        while stack:
            node = stack.pop()
            node.sourcepos, node.node_value  # what a reader reads of every node
            seen += 1
            stack.extend(node.children)
        return seen

    return parse


PARSERS = {"markdown-it-py": markdown_it_py, "pyromark (pulldown-cmark)": pyromark_events, "comrak-ext": comrak_tree}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("COLLATERAL_GUARD_SHARED",
                                                                         ROOT.parent / "shared")))
    options = parser.parse_args()
    documents = texts(options.shared / "corpora" / "vba-docs-markdown.tar.xz", options.files)
    megabytes = sum(len(t.encode()) for t in documents) / 1e6
    parse = {name: make() for name, make in PARSERS.items()}
    times: dict[str, list[float]] = {name: [] for name in parse}
    for _ in range(options.rounds):
        for name, function in parse.items():
            started = time.process_time()
            for text in documents:
                function(text)
            times[name].append(time.process_time() - started)
    base = statistics.median(times["markdown-it-py"])
    print(f"{len(documents)} files, {megabytes:.1f} MB, median of {options.rounds} rounds (CPU)\n")
    print("| parser | CPU | MB/s | vs markdown-it-py |\n|---|---|---|---|")
    for name, found in times.items():
        cpu = statistics.median(found)
        print(f"| {name} | {cpu:.2f} s | {megabytes / cpu:.1f} | {cpu / base:.2f}x |")


if __name__ == "__main__":
    main()
