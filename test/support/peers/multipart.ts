/**
 * A small multipart/form-data reader for the peers' fakes (binary-safe: parts
 * keep their bytes). Parts are returned by name, with the filename and
 * content type when the part has them.
 */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Parses a multipart body; throws an Error naming what is wrong when it is not one. */
export function parseMultipart(contentType: string, body: Buffer): Map<string, FormPart> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) throw new Error(`multipart: no boundary in content-type "${contentType}"`);
  const delimiter = Buffer.from(`--${b}`);
  const parts = new Map<string, FormPart>();
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error('multipart: no opening boundary');
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return parts;
    at += 2; // CRLF after the boundary
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) throw new Error('multipart: a part without headers');
    const headers = body.subarray(at, headerEnd).toString('utf8');
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next < 0) throw new Error('multipart: no closing boundary');
    const data = body.subarray(headerEnd + 4, next - 2); // the CRLF before the boundary
    const name = /;\s*name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) throw new Error('multipart: a part without a name');
    // Quoted as RFC 7578 has it, or bare (grammy writes `filename=score-card.png`).
    const file = /;\s*filename=(?:"([^"]*)"|([^;\r\n]+))/i.exec(headers);
    const filename = file ? (file[1] ?? file[2]!.trim()) : undefined;
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
    parts.set(name, {
      name,
      data: Buffer.from(data),
      ...(filename !== undefined ? { filename } : {}),
      ...(type ? { contentType: type.trim() } : {}),
    });
    at = next;
  }
}

/** Width and height of a PNG (its IHDR) or JPEG (its first SOFn), or null when it is neither. */
export function imageSize(
  data: Buffer,
): { type: 'image/png' | 'image/jpeg'; width: number; height: number } | null {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47 && data.toString('ascii', 12, 16) === 'IHDR')
    return { type: 'image/png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8) {
    let i = 2;
    while (i + 9 < data.length) {
      if (data[i] !== 0xff) return null;
      const marker = data[i + 1]!;
      const length = data.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { type: 'image/jpeg', height: data.readUInt16BE(i + 5), width: data.readUInt16BE(i + 7) };
      i += 2 + length;
    }
  }
  return null;
}
