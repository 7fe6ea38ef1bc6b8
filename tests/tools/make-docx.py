#!/usr/bin/env python3
"""Build a minimal Word (.docx) file from a plain-text transcript.

Usage: make-docx.py INPUT.txt OUTPUT.docx

Each non-empty line of INPUT becomes one paragraph. Every third long
paragraph is split into two runs at a word boundary, as Word often does
after editing, so that readers must join runs within a paragraph.
Only the standard library (zipfile) is used.
"""
import sys
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>
"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>
"""

DOC_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body>')
DOC_TAIL = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417"/>'
            '</w:sectPr></w:body></w:document>\n')


def run(text):
    return '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % escape(text)


def paragraph(text, split):
    if split and len(text) > 80:
        cut = text.find(' ', len(text) // 2)
        if cut > 0:
            return '<w:p>%s%s</w:p>' % (run(text[:cut + 1]), run(text[cut + 1:]))
    return '<w:p>%s</w:p>' % run(text)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: make-docx.py INPUT.txt OUTPUT.docx')
    with open(sys.argv[1], encoding='utf-8-sig') as f:
        lines = [ln.strip() for ln in f.read().splitlines() if ln.strip()]
    body = ''.join(paragraph(ln, i % 3 == 1) for i, ln in enumerate(lines))
    with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CONTENT_TYPES)
        z.writestr('_rels/.rels', RELS)
        z.writestr('word/document.xml', DOC_HEAD + body + DOC_TAIL)


if __name__ == '__main__':
    main()
