import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { AppError } from '../platform/errors.ts';
import {
  ATTACHMENT_HARD_LIMITS,
  type AttachmentRules,
  type IncomingFile,
  inspectAttachment,
  kindOfMediaType,
} from './attachment-pipeline.ts';

const openRules: AttachmentRules = {
  allowed: ['text', 'image', 'pdf', 'video', 'audio', 'archive', 'office', 'other'],
  maxBytes: 10 * 1024 * 1024,
  maxFiles: 10,
  passwordProtectedAccepted: true,
  passwordChannel: 'any',
};
// As the econnect preset: "please use plaintext and screenshots".
const textAndImages: AttachmentRules = { ...openRules, allowed: ['text', 'image'] };

const file = (fileName: string, bytes: Buffer, proofOfConcept = false): IncomingFile => ({
  fileName,
  bytes,
  proofOfConcept,
});

const minimalPdf = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

// GPSLatitude 52° 22' 12.34": the rational 1234/100 is what must not survive.
const GPS_SECONDS = { numerator: 1234, denominator: 100 };

function rationalBytes(littleEndian: boolean): Buffer {
  const bytes = Buffer.alloc(8);
  if (littleEndian) {
    bytes.writeUInt32LE(GPS_SECONDS.numerator, 0);
    bytes.writeUInt32LE(GPS_SECONDS.denominator, 4);
  } else {
    bytes.writeUInt32BE(GPS_SECONDS.numerator, 0);
    bytes.writeUInt32BE(GPS_SECONDS.denominator, 4);
  }
  return bytes;
}

const carriesGps = (bytes: Buffer) =>
  bytes.includes(rationalBytes(true)) || bytes.includes(rationalBytes(false));

function solid(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: '#c04020' } });
}

async function photoWithGps(): Promise<Buffer> {
  return solid(30, 20)
    .jpeg()
    .withExif({
      IFD0: { Make: 'HavenCam', ImageDescription: 'back garden' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: `52/1 22/1 ${GPS_SECONDS.numerator}/${GPS_SECONDS.denominator}`,
        GPSLongitudeRef: 'E',
        GPSLongitude: '4/1 53/1 0/1',
      },
    })
    .toBuffer();
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the attachment to be rejected');
}

test('a JPEG photo loses its EXIF (GPS, camera) and keeps its pixel dimensions', async () => {
  const photo = await photoWithGps();
  const sent = await sharp(photo).metadata();
  assert.ok(sent.exif !== undefined && carriesGps(photo), 'the fixture carries GPS');
  assert.ok(photo.includes('HavenCam'));

  const inspected = await inspectAttachment(file('IMG_0001.jpg', photo), openRules, 'enforce');

  const stored = await sharp(inspected.stored).metadata();
  assert.equal(stored.exif, undefined);
  assert.equal(stored.xmp, undefined);
  assert.equal(carriesGps(inspected.stored), false);
  assert.equal(inspected.stored.includes('HavenCam'), false);
  assert.equal(inspected.stored.includes('back garden'), false);
  assert.equal(inspected.stored.includes('Exif\0\0'), false);
  assert.equal(stored.format, 'jpeg');
  assert.deepEqual([stored.width, stored.height], [30, 20]);
  assert.equal(inspected.mediaType, 'image/jpeg');
  assert.equal(inspected.kind, 'image');
  assert.equal(inspected.reencoded, true);
  assert.equal(inspected.quarantined, false);
  assert.equal(inspected.original, undefined, 'no original kept unless it is proof of concept');
  assert.equal(inspected.deviation, undefined);
});

test('a photo marked proof of concept keeps the untouched original as evidence', async () => {
  const photo = await photoWithGps();
  const inspected = await inspectAttachment(file('poc.jpg', photo, true), openRules, 'enforce');
  assert.ok(inspected.original?.equals(photo));
  assert.notEqual((await sharp(inspected.original).metadata()).exif, undefined);
  assert.equal((await sharp(inspected.stored).metadata()).exif, undefined, 'staff still view the clean copy');
  assert.equal(carriesGps(inspected.stored), false);
  assert.equal(inspected.reencoded, true);
});

test('the EXIF orientation is applied before the metadata goes', async () => {
  const sideways = await solid(30, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const inspected = await inspectAttachment(file('phone.jpg', sideways), openRules, 'enforce');
  const stored = await sharp(inspected.stored).metadata();
  assert.deepEqual([stored.width, stored.height], [20, 30]);
  assert.equal(stored.orientation, undefined);
});

test('PNG and WebP stay in their format; GIF, TIFF and AVIF become PNG', async () => {
  const cases = [
    ['png', 'image/png'],
    ['webp', 'image/webp'],
    ['gif', 'image/png'],
    ['tiff', 'image/png'],
    ['avif', 'image/png'],
  ] as const;
  for (const [format, storedType] of cases) {
    const bytes = await solid(8, 6).toFormat(format).toBuffer();
    const inspected = await inspectAttachment(file(`shot.${format}`, bytes), openRules, 'enforce');
    assert.equal(inspected.mediaType, storedType, format);
    assert.equal(inspected.reencoded, true, format);
    const stored = await sharp(inspected.stored).metadata();
    assert.equal(`image/${stored.format}`, storedType, format);
    assert.deepEqual([stored.width, stored.height], [8, 6], format);
  }
});

test('a BMP, which sharp cannot decode and which holds no EXIF, is kept as sent and quarantined', async () => {
  // 1×1 pixel, 24 bits: file header, BITMAPINFOHEADER, one padded pixel row.
  const bmp = Buffer.alloc(58);
  bmp.write('BM', 0, 'latin1');
  bmp.writeUInt32LE(58, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(1, 18);
  bmp.writeInt32LE(1, 22);
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  bmp.writeUInt32LE(4, 34);
  const inspected = await inspectAttachment(file('paint.bmp', bmp), textAndImages, 'enforce');
  assert.equal(inspected.mediaType, 'image/bmp');
  assert.equal(inspected.kind, 'image');
  assert.equal(inspected.reencoded, false);
  assert.equal(inspected.quarantined, true);
  assert.ok(inspected.stored.equals(bmp));
});

test('a PDF against text-and-images rules: rejected in enforce, kept with a deviation in record', async () => {
  const error = await rejection(inspectAttachment(file('report.pdf', minimalPdf), textAndImages, 'enforce'));
  assert.equal(error.code, 'attachment.type_not_allowed');
  assert.match(error.message, /application\/pdf/);
  assert.deepEqual(error.details, [
    { field: 'attachments', code: 'type_not_allowed', message: 'application/pdf' },
  ]);

  const kept = await inspectAttachment(file('report.pdf', minimalPdf), textAndImages, 'record');
  assert.equal(kept.deviation, 'type_not_allowed');
  assert.equal(kept.quarantined, true);
  assert.equal(kept.reencoded, false);
  assert.equal(kept.kind, 'pdf');
  assert.ok(kept.stored.equals(minimalPdf));
});

test('a disallowed image type in record mode is kept as sent, not re-encoded', async () => {
  const photo = await photoWithGps();
  const textOnly: AttachmentRules = { ...openRules, allowed: ['text'] };
  const kept = await inspectAttachment(file('photo.jpg', photo), textOnly, 'record');
  assert.equal(kept.deviation, 'type_not_allowed');
  assert.equal(kept.reencoded, false);
  assert.equal(kept.quarantined, true);
  assert.ok(kept.stored.equals(photo));
});

test('the type comes from the content, never from the name', async () => {
  const png = await solid(4, 4).png().toBuffer();
  const image = await inspectAttachment(file('report.pdf', png), openRules, 'enforce');
  assert.equal(image.kind, 'image');
  assert.equal(image.mediaType, 'image/png');

  const pdf = await inspectAttachment(file('screenshot.png', minimalPdf), openRules, 'enforce');
  assert.equal(pdf.kind, 'pdf');
  assert.equal(pdf.mediaType, 'application/pdf');
  assert.equal(pdf.quarantined, true);
  const error = await rejection(
    inspectAttachment(file('screenshot.png', minimalPdf), textAndImages, 'enforce'),
  );
  assert.equal(error.code, 'attachment.type_not_allowed');
});

test('UTF-8 text is text/plain; binary garbage is application/octet-stream', async () => {
  const text = Buffer.from(
    'GET /search?q=<script>alert(1)</script> HTTP/1.1\r\nHost: voorbeeld.nl\r\n\r\nmet één ü\n',
  );
  const plain = await inspectAttachment(file('request.txt', text), textAndImages, 'enforce');
  assert.equal(plain.mediaType, 'text/plain');
  assert.equal(plain.kind, 'text');
  assert.equal(plain.quarantined, true);
  assert.ok(plain.stored.equals(text));

  const garbage = Buffer.from([0x8f, 0xff, 0x00, 0x13, 0xfe, 0x42, 0xc3, 0x28, 0x00, 0x01, 0x9a, 0x77]);
  const other = await inspectAttachment(file('notes.txt', garbage), openRules, 'enforce');
  assert.equal(other.mediaType, 'application/octet-stream');
  assert.equal(other.kind, 'other');
  assert.equal(other.quarantined, true);

  const nul = Buffer.from('looks like text\0but has a NUL');
  assert.equal((await inspectAttachment(file('x.txt', nul), openRules, 'enforce')).kind, 'other');
  const error = await rejection(inspectAttachment(file('notes.txt', garbage), textAndImages, 'enforce'));
  assert.equal(error.code, 'attachment.type_not_allowed');
});

test('SVG is an image that is never rendered: kept byte for byte and quarantined', async () => {
  const svgs = [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
    '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg [ <!ENTITY x "a>b"> ]>\n<svg\n  width="10"/>',
  ];
  for (const svg of svgs) {
    const bytes = Buffer.from(svg);
    const inspected = await inspectAttachment(file('logo.png', bytes), textAndImages, 'enforce');
    assert.equal(inspected.mediaType, 'image/svg+xml');
    assert.equal(inspected.kind, 'image');
    assert.equal(inspected.quarantined, true);
    assert.equal(inspected.reencoded, false);
    assert.ok(inspected.stored.equals(bytes));
  }
  // An element merely named like svg, or svg further down, is not an SVG document.
  const notSvg = await inspectAttachment(file('a.xml', Buffer.from('<svgx/>')), openRules, 'enforce');
  assert.equal(notSvg.mediaType, 'text/plain');
  const html = Buffer.from('<html><body><svg onload="alert(1)"/></body></html>');
  assert.equal((await inspectAttachment(file('a.html', html), openRules, 'enforce')).mediaType, 'text/plain');
});

test('XML and gzip are sniffed into their families', async () => {
  const xml = await inspectAttachment(
    file(
      'xxe.xml',
      Buffer.from('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'),
    ),
    textAndImages,
    'enforce',
  );
  assert.equal(xml.mediaType, 'application/xml');
  assert.equal(xml.kind, 'text');
  const gzip = await inspectAttachment(file('logs.gz', gzipSync('log line\n')), openRules, 'enforce');
  assert.equal(gzip.mediaType, 'application/gzip');
  assert.equal(gzip.kind, 'archive');
});

test('kindOfMediaType maps media types onto policy families', () => {
  const expected = {
    'image/heic': 'image',
    'text/csv': 'text',
    'text/plain; charset=utf-8': 'text',
    'application/pdf': 'pdf',
    'video/mp4': 'video',
    'audio/ogg; codecs=opus': 'audio',
    'application/zip': 'archive',
    'application/x-7z-compressed': 'archive',
    'application/x-rar-compressed': 'archive',
    'application/x-tar': 'archive',
    'application/x-bzip2': 'archive',
    'application/x-xz': 'archive',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'office',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'office',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'office',
    'application/vnd.oasis.opendocument.text': 'office',
    'application/x-cfb': 'office',
    'application/x-msdownload': 'other',
    'application/octet-stream': 'other',
  } as const;
  for (const [mediaType, kind] of Object.entries(expected)) {
    assert.equal(kindOfMediaType(mediaType), kind, mediaType);
  }
});

test('file names are made safe to display', async () => {
  const names: [string, string][] = [
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\jan\\Desktop\\poc.txt', 'poc.txt'],
    ['a\r\nContent-Type: x.txt', 'aContent-Type: x.txt'],
    ['evil\u202Egnp.exe', 'evilgnp.exe'],
    ['\u2066iso\u2069late\u0085d\u007f.txt', 'isolated.txt'],
    ['  spaced.txt\t', 'spaced.txt'],
    ['', 'attachment'],
    ['../', 'attachment'],
    ['..', 'attachment'],
    ['\u202E\u0000', 'attachment'],
  ];
  const text = Buffer.from('hello\n');
  for (const [sent, safe] of names) {
    const inspected = await inspectAttachment(file(sent, text), openRules, 'enforce');
    assert.equal(inspected.fileName, safe, JSON.stringify(sent));
  }

  const long = await inspectAttachment(file(`${'a'.repeat(1000)}.txt`, text), openRules, 'enforce');
  assert.equal(long.fileName.length, 200);
  assert.ok(long.fileName.endsWith('aaa.txt'));
  const noExtension = await inspectAttachment(file('b'.repeat(1000), text), openRules, 'enforce');
  assert.equal(noExtension.fileName, 'b'.repeat(200));
});

test('an image over the pixel limit is refused, however small on disk', async () => {
  const huge = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
  assert.ok(8000 * 8000 > ATTACHMENT_HARD_LIMITS.maxInputPixels);
  assert.ok(huge.length < 1024 * 1024, 'the fixture is small on disk');
  const error = await rejection(inspectAttachment(file('bomb.png', huge), openRules, 'enforce'));
  assert.equal(error.code, 'attachment.unreadable');

  const kept = await inspectAttachment(file('bomb.png', huge), openRules, 'record');
  assert.equal(kept.reencoded, false);
  assert.equal(kept.quarantined, true);
  assert.ok(kept.stored.equals(huge));
});

test('a truncated JPEG is unreadable in enforce and kept as sent in record', async () => {
  // Noise compresses badly, so cutting the file in half cuts into the scan data, not the header.
  const noise = await sharp({
    create: {
      width: 256,
      height: 256,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .jpeg()
    .toBuffer();
  const truncated = noise.subarray(0, Math.floor(noise.length / 2));

  const error = await rejection(inspectAttachment(file('cut.jpg', truncated), openRules, 'enforce'));
  assert.equal(error.code, 'attachment.unreadable');

  const kept = await inspectAttachment(file('cut.jpg', truncated, true), openRules, 'record');
  assert.equal(kept.mediaType, 'image/jpeg');
  assert.equal(kept.kind, 'image');
  assert.equal(kept.reencoded, false);
  assert.equal(kept.quarantined, true);
  assert.equal(kept.deviation, undefined);
  assert.ok(kept.stored.equals(truncated));
});

test('the policy size limit rejects in enforce and is recorded in record', async () => {
  const rules: AttachmentRules = { ...openRules, maxBytes: 1000 };
  const atLimit = Buffer.from('x'.repeat(1000));
  assert.equal((await inspectAttachment(file('a.txt', atLimit), rules, 'enforce')).deviation, undefined);

  const overLimit = Buffer.from('x'.repeat(1001));
  const error = await rejection(inspectAttachment(file('a.txt', overLimit), rules, 'enforce'));
  assert.equal(error.code, 'attachment.too_large');
  assert.deepEqual(error.details, [{ field: 'attachments', code: 'too_large', message: '1000' }]);

  const kept = await inspectAttachment(file('a.txt', overLimit), rules, 'record');
  assert.equal(kept.deviation, 'too_large');
  assert.equal(kept.quarantined, true);
  assert.ok(kept.stored.equals(overLimit));
});

test('the hard size limit holds in both modes, whatever the policy allows', async () => {
  const generous: AttachmentRules = { ...openRules, maxBytes: 100 * 1024 * 1024 };
  const overHardLimit = Buffer.alloc(ATTACHMENT_HARD_LIMITS.maxBytes + 1, 'x');
  for (const mode of ['enforce', 'record'] as const) {
    const error = await rejection(inspectAttachment(file('big.txt', overHardLimit), generous, mode));
    assert.equal(error.code, 'attachment.too_large', mode);
    assert.deepEqual(error.details, [
      { field: 'attachments', code: 'too_large', message: String(ATTACHMENT_HARD_LIMITS.maxBytes) },
    ]);
  }
  const atHardLimit = overHardLimit.subarray(0, ATTACHMENT_HARD_LIMITS.maxBytes);
  const kept = await inspectAttachment(file('big.txt', atHardLimit), generous, 'enforce');
  assert.equal(kept.deviation, undefined);
});
