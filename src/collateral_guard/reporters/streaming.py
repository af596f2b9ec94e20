"""Writing a JSON array item by item, so a report's memory does not grow with its findings."""

from __future__ import annotations

import json


class JsonArray:
    def __init__(self, stream, indent: str):
        self.stream = stream
        self.indent = indent
        self.count = 0

    def add(self, item) -> None:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n" + self.indent)
        self.stream.write(("," if self.count else "") + "\n" + self.indent + text)
        self.count += 1

    def close(self) -> str:
        """The closing bracket, on its own line when the array has items."""
        return "\n" + self.indent[:-2] + "]" if self.count else "]"
