#!/usr/bin/env python3
"""make-hostile-docx.py KIND OUT.docx [N] — a .docx made to test qda's import
limits, built with zipfile so no binary fixture is checked in.

  bomb N    word/document.xml of N MiB of identical runs (deflates ~1000:1)
  lie       a real document.xml whose zip headers say it is 1,000 bytes
  crc       a stored document.xml changed after its CRC was written
  deep N    paragraphs inside elements nested N deep (w:document counts 1)
"""
import struct
import sys
import zipfile

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
HEAD = '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="%s">' % W


def para(text):
    return '<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % text


def main():
    kind, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    if kind == 'bomb':
        chunk = ('<w:r><w:t>bla bla </w:t></w:r>' * 10000).encode()
        with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            with z.open('word/document.xml', 'w', force_zip64=True) as f:
                f.write((HEAD + '<w:body><w:p>').encode())
                for _ in range(n * (1 << 20) // len(chunk)):
                    f.write(chunk)
                f.write(b'</w:p></w:body></w:document>')
    elif kind == 'lie':
        xml = (HEAD + '<w:body>' + ''.join(para('Camille: bonjour %d' % i) for i in range(20000)) +
               '</w:body></w:document>').encode()
        with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
            z.writestr('word/document.xml', xml)
        data = bytearray(open(out, 'rb').read())
        real, small = struct.pack('<I', len(xml)), struct.pack('<I', 1000)
        i = data.index(b'PK\x03\x04')
        assert data[i + 22:i + 26] == real
        data[i + 22:i + 26] = small
        i = data.index(b'PK\x01\x02')
        assert data[i + 24:i + 28] == real
        data[i + 24:i + 28] = small
        open(out, 'wb').write(bytes(data))
    elif kind == 'crc':
        xml = HEAD + '<w:body>' + para('Camille: Bonjour') + '</w:body></w:document>'
        with zipfile.ZipFile(out, 'w', zipfile.ZIP_STORED) as z:
            z.writestr('word/document.xml', xml)
        data = open(out, 'rb').read().replace(b'Bonjour', b'Bonsoir')
        open(out, 'wb').write(data)
    elif kind == 'deep':
        # w:document, w:body, then N-4 w:sdtContent, then w:p > w:r > w:t: N deep
        inner = n - 5
        xml = (HEAD + '<w:body>' + '<w:sdtContent>' * inner + para('Camille: profond') +
               '</w:sdtContent>' * inner + '</w:body></w:document>')
        with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
            z.writestr('word/document.xml', xml)
    else:
        sys.exit('unknown kind ' + kind)


main()
