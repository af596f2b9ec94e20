"""Which configuration is in effect for each file, and the scanner and baseline that go with it.

Order, first found wins: ``--config FILE``; ``COLLATERAL_GUARD_CONFIG``; the nearest
``.collateral-guard.toml`` or ``pyproject.toml`` with ``[tool.collateral-guard]``,
walking up from each file's folder; then the user's own
``$XDG_CONFIG_HOME/collateral-guard/config.toml``. A team can keep one file with
its customers, internal domains and glossary, and point every machine at it.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator

from collateral_guard.config import Config, find_config, load_config
from collateral_guard.errors import FatalError

ENVIRONMENT = "COLLATERAL_GUARD_CONFIG"

NO_CONFIG_NOTICE = """\
collateral-guard: note: no configuration found for {path}, so some checks are weaker:
  customers: other customers' names are not recognised (they may show up as spelling mistakes);
  internal domains: only .internal/.corp/.local hosts, private IPs and go-links are flagged, not your own domains;
  jargon: your codenames and internal terms are not known.
  Create one with `collateral-guard init`, or point {env} at your team's file."""


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "collateral-guard" / "config.toml"


def project_folder(config: Config) -> Path:
    """Where project files (the --cache folder) go: beside the configuration, or here for the user's own."""
    return Path.cwd() if config.path is not None and config.path == user_config_path() else config.root


class Configs:
    """The configuration for each path, each file loaded and validated once."""

    def __init__(self, config_file: str | None = None, on_missing: Callable[[str], None] | None = None):
        self.on_missing = on_missing  # told once, with the first path that has no configuration
        self.fixed: tuple[Path, str] | None = None  # a file every path uses, and why
        if config_file:
            self.fixed = (Path(config_file), "--config")
        elif os.environ.get(ENVIRONMENT):
            path = Path(os.environ[ENVIRONMENT])
            if not path.is_file():
                raise FatalError(f"{ENVIRONMENT}={path}: no such configuration file")
            self.fixed = (path, ENVIRONMENT)
        self.folders: dict[Path, Path | None] = {}
        self.sources: dict[str, tuple[Path | None, str]] = {}
        self.resolved: dict[str, Path] = {}  # a folder as given -> its real path
        self.loaded: dict[Path | None, Config] = {}
        self.missing_told = False

    def source(self, path: str) -> tuple[Path | None, str]:
        """The configuration file for a path (None: none found) and how it was found."""
        if self.fixed:
            return self.fixed
        # Asked four times per file (notice, exclusion, scan, baseline): found once per path, and
        # a plain file's folder resolved once per folder, not once per file.
        found = self.sources.get(path)
        if found is None:
            found = self.sources[path] = self._source(path)
        return found

    def _source(self, path: str) -> tuple[Path | None, str]:
        folder = self._folder(path)
        if folder not in self.folders:
            self.folders[folder] = find_config(folder)
        found = self.folders[folder]
        if found:
            return found, "nearest to the path"
        if self.user_file:
            return self.user_file, "user-level ($XDG_CONFIG_HOME/collateral-guard/config.toml)"
        return None, "none found"

    @functools.cached_property
    def user_file(self) -> Path | None:
        user = user_config_path()
        return user if user.is_file() else None

    def _folder(self, path: str) -> Path:
        """The real folder whose configuration applies: the path's own if a folder, else its parent's."""
        if path != "-":
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                mode = None
            if mode is not None and stat.S_ISREG(mode):
                parent = os.path.dirname(os.path.abspath(path))
                if parent not in self.resolved:
                    self.resolved[parent] = Path(parent).resolve()
                return self.resolved[parent]
        start = Path.cwd() if path == "-" or not os.path.exists(path) else Path(path)
        folder = start.resolve()
        return folder if folder.is_dir() else folder.parent

    def tell_if_missing(self, path: str) -> None:
        """Tell on_missing, once per run, about a path with no configuration (the main process only)."""
        if self.on_missing and not self.missing_told and self.source(path)[0] is None:
            self.missing_told = True
            self.on_missing(os.path.abspath(path) if path != "-" else "standard input")

    def for_path(self, path: str) -> Config:
        file, _ = self.source(path)
        if file not in self.loaded:
            self.loaded[file] = load_config(file)
            for warning in self.loaded[file].warnings:  # once per configuration file
                sys.stderr.write(f"collateral-guard: warning: {warning}\n")
        return self.loaded[file]


class Scanners:
    """A Scanner per configuration, chosen by each file's path; used by scan_all like one Scanner."""

    def __init__(self, configs: Configs, make_scanner: Callable[[Config], object]):
        self.configs = configs
        self.make_scanner = make_scanner
        self.built: dict[Path | None, object] = {}  # configuration file -> its Scanner

    def for_path(self, path: str):
        config = self.configs.for_path(path)
        scanner = self.built.get(config.path)
        if scanner is None:
            scanner = self.built[config.path] = self.make_scanner(config)
        return scanner

    def included(self, targets: Iterable) -> Iterator:
        """Targets not excluded by their own configuration; builds their scanners here, before workers fork."""
        from collateral_guard.scan import _excluded

        for target in targets:
            self.configs.tell_if_missing(target.source)
            scanner = self.for_path(target.source)
            if target.source == "-" or not _excluded(target.source, scanner.config):
                yield target

    def warm_up(self) -> None:
        for scanner in self.built.values():
            scanner.warm_up()

    def scan(self, target, data: bytes | None = None):
        return self.for_path(target.source).scan(target, data)


class Baselines:
    """The baseline each file's configuration names (``baseline = "..."``), each loaded once."""

    def __init__(self, configs: Configs):
        self.configs = configs
        self.loaded: dict[Path, object] = {}

    def for_path(self, path: str):
        file = self.configs.for_path(path).baseline
        if file is None:
            return None
        if file not in self.loaded:
            from collateral_guard.baseline import Baseline

            if not file.is_file():
                raise FatalError(f"{self.configs.source(path)[0]}: baseline '{file}' does not exist "
                                 "(create it with `collateral-guard baseline`)")
            self.loaded[file] = Baseline.load(file)
        return self.loaded[file]

    def stale(self, scanned: set[str]) -> list[dict]:
        return [item for baseline in self.loaded.values() for item in baseline.stale(scanned)]
