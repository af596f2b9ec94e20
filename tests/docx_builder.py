"""Builds real DOCX packages (WordprocessingML in a zip) for tests, from a small notation.

A document is a list of paragraphs; a paragraph is text with inline marks:

    [comment by Jane Doe: reused from the Contoso bid]   a comment anchored here (" ¶ " starts a paragraph)
    [around world-class: approved by legal]   a comment (by Reviewer) on the text "world-class"
    [deleted: Contoso]      a tracked deletion          [inserted: Fabrikam]  a tracked insertion
    [hidden: text]          hidden text (w:vanish)      [split: unri|valled]  one word in two runs
    [link https://x: text]  a hyperlink                  [field HYPERLINK "x"] a field code
    [alt: description]      a picture's alt text         [textbox: text]       a text box
    [control: text]         a content control            [footnote: text]      a footnote
    [table: a | b ; c | d]  a table (rows split by ;)

and document-level marks, each as a paragraph of its own:

    [header: text]  [footer: text]  [first-page footer: text]  [property Author: Jane Doe]
    [custom property Deal: Q3 discount]  [template: \\\\fs01\\templates\\rfp.dotx]  [heading: text]
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = (f'xmlns:w="{W}" xmlns:r="{R}" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
MARK = re.compile(r"\[(comment by [^:\]]+|around [^:\]]+|deleted|inserted|hidden|split|link \S+(?=: )|field [^\]]+|alt|textbox|"
                  r"control|footnote|table)(?::\s?([^\]]*))?\]")
DOCUMENT_MARK = re.compile(r"^\[(header|footer|first-page footer|property [^:]+|custom property [^:]+|template|"
                           r"heading|styled hidden)\s*:\s?(.*)\]$")


def t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


class Builder:
    def __init__(self):
        self.rels: list[tuple[str, str, str, bool]] = []  # id, type, target, external
        self.comments: list[tuple[int, str, str]] = []
        self.footnotes: list[tuple[int, str]] = []
        self.extra_parts: dict[str, str] = {}
        self.core: dict[str, str] = {}
        self.app: dict[str, str] = {}
        self.custom: dict[str, str] = {}
        self.template: str | None = None
        self.sections: list[str] = []
        self.ids = 100

    def rel(self, kind: str, target: str, external: bool = False) -> str:
        rid = f"rId{len(self.rels) + 1}"
        self.rels.append((rid, f"{REL}/{kind}", target, external))
        return rid

    def next_id(self) -> int:
        self.ids += 1
        return self.ids

    def runs(self, text: str) -> str:
        out, pos = [], 0
        for match in MARK.finditer(text):
            if match.start() > pos:
                out.append(f"<w:r>{t(text[pos:match.start()])}</w:r>")
            out.append(self.mark(match.group(1), match.group(2) or ""))
            pos = match.end()
        if pos < len(text):
            out.append(f"<w:r>{t(text[pos:])}</w:r>")
        return "".join(out)

    def mark(self, kind: str, value: str) -> str:
        if kind.startswith("comment by "):
            cid = len(self.comments)
            self.comments.append((cid, kind[len("comment by "):], value))
            return (f'<w:commentRangeStart w:id="{cid}"/><w:commentRangeEnd w:id="{cid}"/>'
                    f'<w:r><w:commentReference w:id="{cid}"/></w:r>')
        if kind.startswith("around "):
            cid = len(self.comments)
            self.comments.append((cid, "Reviewer", value))
            return (f'<w:commentRangeStart w:id="{cid}"/>{self.runs(kind[len("around "):])}'
                    f'<w:commentRangeEnd w:id="{cid}"/><w:r><w:commentReference w:id="{cid}"/></w:r>')
        if kind == "deleted":
            return (f'<w:del w:id="{self.next_id()}" w:author="Jane Doe" w:date="2025-01-01T00:00:00Z">'
                    f'<w:r><w:delText xml:space="preserve">{escape(value)}</w:delText></w:r></w:del>')
        if kind == "inserted":
            return (f'<w:ins w:id="{self.next_id()}" w:author="Jane Doe" w:date="2025-01-01T00:00:00Z">'
                    f"<w:r>{t(value)}</w:r></w:ins>")
        if kind == "hidden":
            return f"<w:r><w:rPr><w:vanish/></w:rPr>{t(value)}</w:r>"
        if kind == "split":
            return "".join(f"<w:r><w:rPr>{'<w:b/>' if i % 2 else ''}</w:rPr>{t(piece)}</w:r>"
                           for i, piece in enumerate(value.split("|")))
        if kind.startswith("link "):
            rid = self.rel("hyperlink", kind[5:], external=True)
            return f'<w:hyperlink r:id="{rid}"><w:r>{t(value)}</w:r></w:hyperlink>'
        if kind.startswith("field "):
            instruction = kind[6:]
            return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
                    f'{escape(instruction)} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                    f'<w:r>{t("field result")}</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
        if kind == "alt":
            return (f'<w:r><w:drawing><wp:inline><wp:docPr id="{self.next_id()}" name="Picture" '
                    f'descr={quoteattr(value)}/></wp:inline></w:drawing></w:r>')
        if kind == "textbox":
            box = f"<w:txbxContent><w:p>{self.runs(value)}</w:p></w:txbxContent>"
            return (f"<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic>"
                    f"<a:graphicData><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
                    f"</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>"
                    f"</mc:AlternateContent></w:r>")
        if kind == "control":
            return f'<w:sdt><w:sdtPr><w:alias w:val="Customer"/></w:sdtPr><w:sdtContent><w:r>{t(value)}</w:r></w:sdtContent></w:sdt>'
        if kind == "footnote":
            fid = len(self.footnotes) + 1
            self.footnotes.append((fid, value))
            return f'<w:r><w:footnoteReference w:id="{fid}"/></w:r>'
        raise ValueError(kind)

    def paragraph(self, text: str, style: str | None = None) -> str:
        if text.startswith("[table:"):
            rows = text[len("[table:"):-1].split(";")
            cells = "".join("<w:tr>" + "".join(f"<w:tc><w:p>{self.runs(c.strip())}</w:p></w:tc>" for c in row.split("|"))
                            + "</w:tr>" for row in rows)
            return f"<w:tbl>{cells}</w:tbl>"
        properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f"<w:p>{properties}{self.runs(text)}</w:p>"

    def part_xml(self, root: str, paragraphs: list[str]) -> str:
        return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} {NS}>{"".join(paragraphs)}</w:{root}>'

    def build(self, lines: list[str]) -> bytes:
        body = []
        for line in lines:
            document_mark = DOCUMENT_MARK.match(line)
            if not document_mark:
                body.append(self.paragraph(line))
                continue
            kind, value = document_mark.groups()
            if kind in ("header", "footer", "first-page footer"):
                part_kind = "header" if kind == "header" else "footer"
                name = f"word/{part_kind}{len(self.sections) + 1}.xml"
                rid = self.rel(part_kind, name.split("/")[1])
                variant = "first" if kind.startswith("first") else "default"
                self.sections.append(f'<w:{part_kind}Reference w:type="{variant}" r:id="{rid}"/>')
                self.extra_parts[name] = self.part_xml("hdr" if part_kind == "header" else "ftr",
                                                       [self.paragraph(value)])
            elif kind.startswith("property "):
                self.core[kind[9:]] = value
            elif kind.startswith("custom property "):
                self.custom[kind[16:]] = value
            elif kind == "template":
                self.template = value
            elif kind == "heading":
                body.append(self.paragraph(value, style="Heading1"))
            elif kind == "styled hidden":
                body.append(self.paragraph(value, style="Secret"))
        section = f"<w:sectPr>{''.join(self.sections)}</w:sectPr>"
        document = self.part_xml("document", [f"<w:body>{''.join(body)}{section}</w:body>"])
        return self.package(document)

    def package(self, document: str) -> bytes:
        files = {"word/document.xml": document}
        files["word/styles.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><w:styles {NS}>'
            '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr>'
            "</w:style></w:styles>")
        self.rel("styles", "styles.xml")
        if self.comments:
            self.rel("comments", "comments.xml")
            files["word/comments.xml"] = self.part_xml("comments", [
                f'<w:comment w:id="{cid}" w:author={quoteattr(author)}>'
                + "".join(f"<w:p>{self.runs(piece)}</w:p>" for piece in text.split(" ¶ ")) + "</w:comment>"
                for cid, author, text in self.comments])
        if self.footnotes:
            self.rel("footnotes", "footnotes.xml")
            files["word/footnotes.xml"] = self.part_xml("footnotes", [
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'] + [
                f'<w:footnote w:id="{fid}"><w:p>{self.runs(text)}</w:p></w:footnote>' for fid, text in self.footnotes])
        if self.template:
            self.rel("settings", "settings.xml")
            files["word/settings.xml"] = (f'<?xml version="1.0"?><w:settings {NS}><w:attachedTemplate r:id="rId1"/>'
                                          "</w:settings>")
            files["word/_rels/settings.xml.rels"] = (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{REL}/attachedTemplate" Target={quoteattr(self.template)} '
                'TargetMode="External"/></Relationships>')
        files.update(self.extra_parts)
        files["word/_rels/document.xml.rels"] = (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="{rid}" Type="{kind}" Target={quoteattr(target)}'
                      + (' TargetMode="External"' if external else "") + "/>"
                      for rid, kind, target, external in self.rels) + "</Relationships>")
        package_rels = [f'<Relationship Id="rIdMain" Type="{REL}/officeDocument" Target="word/document.xml"/>']
        if self.core:
            package_rels.append('<Relationship Id="rIdCore" Type="http://schemas.openxmlformats.org/package/2006/'
                                'relationships/metadata/core-properties" Target="docProps/core.xml"/>')
            tags = {"Author": "dc:creator", "Title": "dc:title", "Last Modified By": "cp:lastModifiedBy",
                    "Subject": "dc:subject", "Keywords": "cp:keywords", "Comments": "dc:description"}
            app_tags = {"Company", "Manager"}
            core = "".join(f"<{tags[k]}>{escape(v)}</{tags[k]}>" for k, v in self.core.items() if k in tags)
            files["docProps/core.xml"] = (
                '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">' + core + "</cp:coreProperties>")
            app = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in self.core.items() if k in app_tags)
            files["docProps/app.xml"] = ('<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/'
                                         'officeDocument/2006/extended-properties">' + app + "</Properties>")
        if self.custom:
            files["docProps/custom.xml"] = (
                '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                + "".join(f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i + 2}" '
                          f'name={quoteattr(k)}><vt:lpwstr>{escape(v)}</vt:lpwstr></property>'
                          for i, (k, v) in enumerate(self.custom.items())) + "</Properties>")
        files["_rels/.rels"] = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                                'package/2006/relationships">' + "".join(package_rels) + "</Relationships>")
        files["[Content_Types].xml"] = (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>')
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                archive.writestr(name, content)
        return buffer.getvalue()


def build_docx(text: str) -> bytes:
    """A DOCX from the notation: one paragraph per non-empty line."""
    return Builder().build([line for line in text.splitlines() if line.strip()])
