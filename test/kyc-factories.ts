import { deflateSync, crc32 } from 'node:zlib';
import { expect } from 'vitest';
import { totpNow } from '../server/identity/totp.js';
import type { StaffRole } from '../server/identity/staff.js';
import type { TestApp } from './app.js';
import { newPhone, type TestUser } from './identity-factories.js';

/**
 * Identity documents for tests: real, well-formed JPEG, PNG and PDF files that carry the
 * sandbox's magic markers (`TBKYC:<MARKER>`, docs/kyc.md) in a comment, a text chunk or a PDF
 * comment, and a multipart form builder for app.inject().
 */

// A 2×2 grey baseline JPEG (331 bytes).
const JPEG_2X2 = Buffer.from(
  [
    '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAx',
    'NDQ0Hyc5PTgyPC4zNDL/wAALCAACAAIBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUF',
    'BAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVW',
    'V1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi',
    '4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/ACv/2Q==',
  ].join(''),
  'base64',
);

/** A JPEG with the markers in a COM segment right after SOI. */
export function jpeg(...markers: string[]): Buffer {
  if (markers.length === 0) return Buffer.from(JPEG_2X2);
  const text = Buffer.from(markers.map((m) => `TBKYC:${m}`).join(' '), 'latin1');
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([JPEG_2X2.subarray(0, 2), segment, text, JPEG_2X2.subarray(2)]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A grey RGB PNG with the markers in a tEXt chunk; `padBytes` adds an ancillary chunk to grow it. */
export function png(
  markers: string[] = [],
  options: { width?: number; height?: number; padBytes?: number } = {},
): Buffer {
  const width = options.width ?? 4;
  const height = options.height ?? 4;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0; // filter: none
  const chunks = [pngChunk('IHDR', header)];
  if (markers.length)
    chunks.push(pngChunk('tEXt', Buffer.from(`Comment\0${markers.map((m) => `TBKYC:${m}`).join(' ')}`, 'latin1')));
  if (options.padBytes) chunks.push(pngChunk('paDd', Buffer.alloc(options.padBytes, 0x2a)));
  chunks.push(pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

/** A one-page PDF with a correct cross-reference table; `extraCatalog` adds entries to the catalog. */
export function pdf(markers: string[] = [], options: { extraCatalog?: string; extraObjects?: string[] } = {}): Buffer {
  const objects = [
    `<< /Type /Catalog /Pages 2 0 R ${options.extraCatalog ?? ''}>>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 120] >>',
    ...(options.extraObjects ?? []),
  ];
  let body = `%PDF-1.7\n%${markers.map((m) => `TBKYC:${m}`).join(' ')}\n`;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body +=
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f ` +
    `\n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export interface FilePart {
  field: string;
  bytes: Buffer;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body for app.inject(). */
export function multipart(
  fields: Record<string, string>,
  files: FilePart[],
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----tbkyc${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; ` +
          (`filename="${file.filename ?? `${file.field}.jpg`}"\r\nContent-Type: ` +
            `${file.contentType ?? 'image/jpeg'}\r\n\r\n`),
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A resident-ID submission: front and back carry `documentMarkers`, the selfie `selfieMarkers`. */
export function residentIdForm(documentMarkers: string[] = [], selfieMarkers: string[] = []) {
  return multipart({ documentType: 'resident_id' }, [
    { field: 'front', bytes: jpeg(...documentMarkers) },
    { field: 'back', bytes: png(documentMarkers), contentType: 'image/png', filename: 'back.png' },
    { field: 'selfie', bytes: jpeg(...selfieMarkers) },
  ]);
}

export async function submitKyc(
  t: TestApp,
  user: TestUser,
  form: { payload: Buffer; headers: Record<string, string> },
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/me/kyc/submissions',
    headers: { ...user.auth, ...form.headers },
    payload: form.payload,
  });
}

export interface TestStaff {
  staffId: string;
  auth: { authorization: string };
}

/** Creates a staff member with roles and signs them in with password and TOTP. */
export async function signInStaff(t: TestApp, roles: StaffRole[], now: Date): Promise<TestStaff> {
  const phone = newPhone();
  const password = 'staff-lantern-river-99';
  const created = await t.services.identity.staff.create({ phone, name: '审核员', password, roles });
  if (!created.ok) throw new Error(`staff not created: ${created.error.code}`);
  const totpCode = await totpNow(created.value.totpSecret, now);
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/staff/auth/login',
    payload: { phone, password, totpCode, client: 'api' },
  });
  expect(login.statusCode, login.body).toBe(200);
  return { staffId: created.value.id, auth: { authorization: `Bearer ${login.json().token}` } };
}
