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
# XML read from one package, inflated: a 16 MiB document.xml of one-line paragraphs (the densest
# shape, about 3,000 pages) peaks near 410 MB, under the 500 MB the tool promises
# (docs/security.md). Pictures and other media are never inflated.
MAX_PART_BYTES = 16 * 1024 * 1024  # one XML part
MAX_TOTAL_BYTES = 18 * 1024 * 1024  # all XML parts read from one package
MAX_DECLARED_BYTES = 1024 * 1024 * 1024  # everything in the zip, media included, as its headers declare
MAX_RATIO = 200  # inflated:compressed, for parts over 1 MiB: a zip bomb goes far beyond it

# Both are upper case in any well-formed XML.
DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                    for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


class Package:
    def __init__(self, data: bytes):
        if data.startswith(OLE_MAGIC):
            if ENCRYPTED_STREAM in data:
                raise ReadError("encrypted document, cannot be scanned (remove the password and scan again)")
            raise ReadError("legacy Word 97-2003 (.doc) document, not DOCX: save it as .docx to scan it")
        if not data.startswith(b"PK"):
            raise ReadError("not a DOCX file (not a zip package)")
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
        if declared > MAX_DECLARED_BYTES:
            raise ReadError(f"zip package inflates to {declared // 2**20} MiB: not scanned (possible zip bomb)")
        self.read_bytes = 0

    def has(self, name: str) -> bool:
        return name.lstrip("/").lower() in self.members

    def read(self, name: str) -> bytes:
        info = self.members.get(name.lstrip("/").lower())
        if info is None:
            raise KeyError(name)
        if info.flag_bits & 0x1:
            raise ReadError(f"encrypted zip part {name}, cannot be scanned")
        if info.file_size > MAX_PART_BYTES:
            raise ReadError(f"part {name} inflates to {info.file_size // 2**20} MiB (limit {MAX_PART_BYTES // 2**20} "
                            "MiB): not scanned")
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError(f"part {name} compresses {info.file_size // max(info.compress_size, 1)}:1: "
                            "not scanned (possible zip bomb)")
        try:
            with self.zip.open(info) as handle:
                data = handle.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError,
                RuntimeError, OSError, zlib.error, lzma.LZMAError) as error:
            raise ReadError(f"corrupt zip package: cannot read {name}: {error}") from None
        if len(data) > MAX_PART_BYTES:
            raise ReadError(f"part {name} inflates past its declared size and the {MAX_PART_BYTES // 2**20} MiB limit: "
                            "not scanned (possible zip bomb)")
        self.read_bytes += len(data)
        if self.read_bytes > MAX_TOTAL_BYTES:
            raise ReadError(f"package's XML parts inflate past {MAX_TOTAL_BYTES // 2**20} MiB together: not scanned")
        return data

    def xml(self, name: str):
        """The parsed part; documents with a DTD or entity declarations are refused (billion laughs)."""
        data = self.read(name)
        refused = ReadError(f"{name} declares a DTD or entities: refused (XML bomb or external entity)")
        if any(marker in data for marker in DTD_MARKERS):  # before parsing, in UTF-8 or UTF-16
            raise refused
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as error:
            message = str(error).splitlines()[0] if str(error) else "syntax error"
            raise ReadError(f"malformed XML in {name}: {message}") from None
        if root.getroottree().docinfo.internalDTD is not None:  # any other encoding the parser knows
            raise refused
        return root

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
