"""Opening an Office package (a zip of XML parts) that may be hostile: bounded, and without DTDs.

Every limit is checked before anything is inflated, and again while inflating,
because a zip's headers can lie about sizes.
"""

from __future__ import annotations

import io
import lzma
import posixpath
import zipfile
import zlib

from lxml import etree

from collateral_guard.readers import ReadError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
MAX_MEMBERS = 5_000
MAX_PART_BYTES = 64 * 1024 * 1024  # one inflated XML part, read as a stream (a worksheet)
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all parts read from one package
# Parts parsed whole into a tree (a document, comments, a slide): a 16 MiB document.xml of
# one-line paragraphs, the densest shape (about 3,000 pages), peaks near 380 MB, under the
# 500 MB the tool promises (docs/security.md). Pictures and other media are never inflated.
MAX_TREE_PART_BYTES = 16 * 1024 * 1024
MAX_TREE_TOTAL_BYTES = 18 * 1024 * 1024
# A zip failing to inflate raises any of these; each is the file's one-line error.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError, RuntimeError,
              OSError, zlib.error, lzma.LZMAError)
MAX_RATIO = 200  # inflated:compressed, for parts over 1 MiB: a zip bomb goes far beyond it

_SAFE = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True,
             remove_pis=True)
_PARSER = etree.XMLParser(dtd_validation=False, **_SAFE)
# What each format's reader calls the file, and the advice for its pre-2007 binary form.
LEGACY = {
    "DOCX": "legacy Word 97-2003 (.doc) document, not DOCX: save it as .docx to scan it",
    "PPTX": "legacy PowerPoint 97-2003 (.ppt) file, not PPTX: save it as .pptx to scan it",
    "XLSX": "legacy Excel 97-2003 (.xls) file, not XLSX: save it as .xlsx to scan it",
}
# Both are upper case in any well-formed XML; looked for in UTF-8 and UTF-16.
DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                    for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def declares_dtd(data: bytes) -> bool:
    """Whether XML bytes hold a DTD or entity declaration, in UTF-8 or UTF-16. Every marker has a "!",
    which XML rarely holds: looking for one is a fast scan, where "<" (the markers' start) is everywhere."""
    return b"!" in data and any(marker in data for marker in DTD_MARKERS)


class Package:
    def __init__(self, data: bytes, kind: str = "DOCX"):
        if data.startswith(OLE_MAGIC):
            if ENCRYPTED_STREAM in data:
                raise ReadError("encrypted document, cannot be scanned (remove the password and scan again)")
            raise ReadError(LEGACY[kind])
        if not data.startswith(b"PK"):
            raise ReadError(f"not a {kind} file (not a zip package)")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
            raise ReadError(f"corrupt zip package: {error}") from None
        if len(infos) > MAX_MEMBERS:
            raise ReadError(f"zip package has {len(infos)} parts (limit {MAX_MEMBERS}): not scanned")
        self.members = {}
        declared = 0
        for info in infos:
            name = info.filename.lstrip("/")
            if name.lower() in self.members:
                # Which copy counts differs between tools (Word, zipfile, unzip): a document could
                # show one text to its reader and another to us. Refused, not guessed.
                raise ReadError(f"ambiguous zip package: two parts named {name} (ignoring case): not scanned")
            self.members[name.lower()] = info
            declared += info.file_size
        if declared > MAX_TOTAL_BYTES * 4:
            raise ReadError(f"zip package inflates to {declared // 2**20} MiB: not scanned (possible zip bomb)")
        self.read_bytes = 0
        self.tree_bytes = 0
        self.tree_parts: set[str] = set()

    def has(self, name: str) -> bool:
        return name.lstrip("/").lower() in self.members

    def read(self, name: str) -> bytes:
        info = self._checked(name)
        try:
            with self.zip.open(info) as handle:
                data = handle.read(MAX_PART_BYTES + 1)
        except ZIP_ERRORS as error:
            raise ReadError(f"corrupt zip package: cannot read {name}: {error}") from None
        self._count(name, len(data), len(data))
        return data

    def _checked(self, name: str) -> zipfile.ZipInfo:
        """The member, if its declared sizes are within the limits."""
        info = self.members.get(name.lstrip("/").lower())
        if info is None:
            raise KeyError(name)
        if info.flag_bits & 0x1:
            raise ReadError(f"encrypted zip part {name}, cannot be scanned")
        if info.file_size > MAX_PART_BYTES:
            raise ReadError(f"part {name} inflates to {info.file_size // 2**20} MiB: not scanned (possible zip bomb)")
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError(f"part {name} compresses {info.file_size // max(info.compress_size, 1)}:1: "
                            "not scanned (possible zip bomb)")
        return info

    def _count(self, name: str, added: int, part_size: int) -> None:
        """Counts inflated bytes against the limits: the headers' sizes may have lied."""
        if part_size > MAX_PART_BYTES:
            raise ReadError(f"part {name} inflates past {MAX_PART_BYTES // 2**20} MiB: not scanned (possible zip bomb)")
        self.read_bytes += added
        if self.read_bytes > MAX_TOTAL_BYTES:
            raise ReadError(f"package inflates past {MAX_TOTAL_BYTES // 2**20} MiB: not scanned (possible zip bomb)")

    def xml(self, name: str):
        """The parsed part; documents with a DTD or entity declarations are refused (billion laughs)."""
        info = self.members.get(name.lstrip("/").lower())
        if info is not None and info.file_size > MAX_TREE_PART_BYTES:
            raise ReadError(f"part {name} inflates to {info.file_size // 2**20} MiB (limit "
                            f"{MAX_TREE_PART_BYTES // 2**20} MiB): not scanned")
        data = self.read(name)
        if len(data) > MAX_TREE_PART_BYTES:
            raise ReadError(f"part {name} inflates past its declared size and the {MAX_TREE_PART_BYTES // 2**20} "
                            "MiB limit: not scanned (possible zip bomb)")
        key = name.lstrip("/").lower()
        if key not in self.tree_parts:  # a part parsed again (by the Word cleaner) counts once
            self.tree_parts.add(key)
            self.tree_bytes += len(data)
        if self.tree_bytes > MAX_TREE_TOTAL_BYTES:
            raise ReadError(f"package's XML parts inflate past {MAX_TREE_TOTAL_BYTES // 2**20} MiB together: "
                            "not scanned")
        refused = ReadError(f"{name} declares a DTD or entities: refused (XML bomb or external entity)")
        if declares_dtd(data):  # before parsing, in UTF-8 or UTF-16
            raise refused
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as error:
            message = str(error).splitlines()[0] if str(error) else "syntax error"
            raise ReadError(f"malformed XML in {name}: {message}") from None
        if root.getroottree().docinfo.internalDTD is not None:  # any other encoding the parser knows
            raise refused
        return root

    def iterparse(self, name: str, tags: tuple[str, ...]):
        """The elements whose local name is in ``tags``, each once it is complete, from a part too large to
        hold as a tree (a worksheet). The caller clears what it has read. Same limits as ``xml``."""
        stream = _BoundedStream(self, name, self._checked(name))
        try:
            for _, element in etree.iterparse(stream, tag=[f"{{*}}{t}" for t in tags], **_SAFE):
                yield element
        except etree.XMLSyntaxError as error:
            message = str(error).splitlines()[0] if str(error) else "syntax error"
            raise ReadError(f"malformed XML in {name}: {message}") from None
        finally:
            stream.close()

    def relationships(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """rId -> (type, target, external) for a part; targets of internal parts are resolved to names."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels_name):
            return {}
        relations = {}
        for element in self.xml(rels_name):
            if not isinstance(element.tag, str) or etree.QName(element).localname != "Relationship":
                continue
            target = element.get("Target", "")
            external = element.get("TargetMode", "").lower() == "external"
            if not external:
                target = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") \
                    else target.lstrip("/")
            relations[element.get("Id", "")] = (element.get("Type", ""), target, external)
        return relations


class _BoundedStream:
    """A member's inflated bytes, read in chunks, counted against the limits and refused at a DTD."""

    def __init__(self, package: Package, name: str, info: zipfile.ZipInfo):
        self.package, self.name, self.size, self.tail = package, name, 0, b""
        try:
            self.handle = package.zip.open(info)
        except ZIP_ERRORS as error:
            raise ReadError(f"corrupt zip package: cannot read {name}: {error}") from None

    def read(self, size: int = 65536) -> bytes:
        try:
            data = self.handle.read(size if size and size > 0 else 65536)
        except ZIP_ERRORS as error:
            raise ReadError(f"corrupt zip package: cannot read {self.name}: {error}") from None
        window = self.tail + data
        if declares_dtd(window):
            raise ReadError(f"{self.name} declares a DTD or entities: refused (XML bomb or external entity)")
        self.tail = data[-16:]
        self.size += len(data)
        self.package._count(self.name, len(data), self.size)
        return data

    def close(self) -> None:
        self.handle.close()
