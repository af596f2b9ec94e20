"""Writing a changed copy of an Office package: changed parts replaced, removed parts dropped with
their relationships and content types, every other part copied as its stored (compressed) bytes.

The zip is written by hand because the standard library cannot copy a member without inflating
and recompressing it; copying the stored bytes keeps untouched parts byte-for-byte and never
inflates a part nobody needed to read.
"""

from __future__ import annotations

import os
import posixpath
import struct
import tempfile
import zlib

from lxml import etree

from collateral_guard.errors import FatalError
from collateral_guard.readers import ReadError
from collateral_guard.readers.package import Package

CONTENT_TYPES = "[Content_Types].xml"
UTF8_NAME = 0x800


def serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


class PackageEdit:
    """The parts of one package to replace or drop; ``write`` produces the new package."""

    def __init__(self, package: Package, data: bytes):
        self.package = package
        self.data = data
        self.replaced: dict[str, tuple[str, bytes]] = {}  # lower-case name -> (name, new bytes)
        self.removed: set[str] = set()  # lower-case names

    def replace(self, name: str, root) -> None:
        """Write ``root`` as part ``name``, a part of the package or a new one."""
        self.replaced[name.lower()] = (name, serialise(root))

    def remove(self, name: str) -> None:
        """Drop a part, its own relationships, and every relationship and content type that names it."""
        if not self.package.has(name):
            return
        self.removed.add(name.lower())
        if self.package.has(rels_name(name)):
            self.removed.add(rels_name(name).lower())

    def add_relationship(self, source: str, kind: str, target: str) -> str:
        """A new internal relationship from ``source``; returns its id."""
        name = rels_name(source)
        root = self.current(name) if self.exists(name) else etree.Element(
            "{http://schemas.openxmlformats.org/package/2006/relationships}Relationships",
            nsmap={None: "http://schemas.openxmlformats.org/package/2006/relationships"})
        ids = {r.get("Id") for r in root}
        number = len(ids) + 1
        while f"rId{number}" in ids:
            number += 1
        rid = f"rId{number}"
        etree.SubElement(root, f"{{{etree.QName(root).namespace}}}Relationship",
                         Id=rid, Type=kind, Target=target)
        self.replace(name, root)
        return rid

    def add_override(self, part: str, content_type: str) -> None:
        root = self.current(CONTENT_TYPES)
        namespace = etree.QName(root).namespace
        etree.SubElement(root, f"{{{namespace}}}Override", PartName="/" + part, ContentType=content_type)
        self.replace(CONTENT_TYPES, root)

    def exists(self, name: str) -> bool:
        """Whether the new package will hold this part (a stored one, or one added)."""
        return name.lower() in self.replaced or self.package.has(name)

    def current(self, name: str):
        """The part as it will be written (a replaced part's new text, else the stored one)."""
        key = name.lower()
        if key in self.replaced:
            return etree.fromstring(self.replaced[key][1])
        return self.package.xml(name)

    # -- writing ------------------------------------------------------------------
    def _prune_references(self) -> None:
        """Relationships and content-type overrides that name a removed part go with it."""
        if not self.removed:
            return
        for name in list(self.package.members):
            if not name.endswith(".rels") or name in self.removed:
                continue
            folder = posixpath.dirname(posixpath.dirname(name))
            root = self.current(self.package.members[name].filename)
            changed = False
            for relation in list(root):
                target = relation.get("Target", "")
                if relation.get("TargetMode", "").lower() == "external":
                    continue
                resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                if resolved.lower() in self.removed:
                    root.remove(relation)
                    changed = True
            if changed:
                self.replace(self.package.members[name].filename, root)
        types = self.current(CONTENT_TYPES)
        overrides = [o for o in types if (o.get("PartName") or "").lstrip("/").lower() in self.removed]
        for override in overrides:
            types.remove(override)
        if overrides:
            self.replace(CONTENT_TYPES, types)

    def write(self, destination: str) -> None:
        """Write to a temporary file beside ``destination`` and rename it, so a failure leaves no half file."""
        self._prune_references()
        folder = os.path.dirname(os.path.abspath(destination))
        try:
            handle, temporary = tempfile.mkstemp(prefix=".collateral-guard-", suffix=".tmp", dir=folder)
        except OSError as error:
            raise FatalError(f"cannot write in {folder}: {error.strerror or error}") from None
        try:
            with os.fdopen(handle, "wb") as out:
                self._write_zip(out)
            if os.path.exists(destination):
                os.chmod(temporary, os.stat(destination).st_mode & 0o777)
            else:
                os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, destination)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def _write_zip(self, out) -> None:
        central = []
        offset = 0
        for info in self.package.zip.infolist():
            key = info.filename.lstrip("/").lower()
            if key in self.removed or self.package.members.get(key) is not info:
                continue  # removed, or a duplicate name (only the first one is read)
            if key in self.replaced:
                entry = _deflated(info.filename, self.replaced.pop(key)[1], info.date_time)
            else:
                entry = (info.filename, info.compress_type, info.CRC, info.compress_size, info.file_size,
                         info.date_time, self._stored_bytes(info))
            offset += _write_entry(out, entry, offset, central)
        for name, content in self.replaced.values():  # parts the input did not have
            offset += _write_entry(out, _deflated(name, content, (1980, 1, 1, 0, 0, 0)), offset, central)
        start = offset
        for record in central:
            out.write(record)
        size = sum(len(r) for r in central)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, start, 0))

    def _stored_bytes(self, info) -> bytes:
        """A member's compressed bytes exactly as the input holds them."""
        header = self.data[info.header_offset:info.header_offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise ReadError(f"corrupt zip package: bad local header for {info.filename}")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        start = info.header_offset + 30 + name_length + extra_length
        stored = self.data[start:start + info.compress_size]
        if len(stored) != info.compress_size:
            raise ReadError(f"corrupt zip package: {info.filename} is truncated")
        return stored


def _deflated(name: str, content: bytes, date_time) -> tuple:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    stored = compressor.compress(content) + compressor.flush()
    return name, 8, zlib.crc32(content), len(stored), len(content), date_time, stored


def _write_entry(out, entry: tuple, offset: int, central: list[bytes]) -> int:
    name, method, crc, compressed, size, date_time, stored = entry
    encoded = name.encode("utf-8")
    flags = 0 if encoded.isascii() else UTF8_NAME
    year, month, day, hour, minute, second = date_time
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    dos_date = (max(year, 1980) - 1980) << 9 | (month << 5) | day
    common = struct.pack("<HHHHIII", flags, method, dos_time, dos_date, crc, compressed, size)
    local = struct.pack("<IH", 0x04034B50, 20) + common + struct.pack("<HH", len(encoded), 0) + encoded
    out.write(local)
    out.write(stored)
    central.append(struct.pack("<IHH", 0x02014B50, 20, 20) + common
                   + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    return len(local) + len(stored)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
