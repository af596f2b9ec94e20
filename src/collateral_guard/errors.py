"""The one fatal error type: a usage or configuration problem that stops the run (exit 2)."""


class FatalError(Exception):
    """Its message is one line that names the file or option at fault."""
