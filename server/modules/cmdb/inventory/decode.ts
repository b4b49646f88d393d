import { promisify } from "node:util";
import zlib from "node:zlib";
import { badRequest, InventoryError, tooLarge, unsupportedMediaType } from "./errors.ts";
import type { BodyEncoding } from "./types.ts";

export interface DecodeLimits {
  /** The request body as received (compressed or not). Default 10 MiB. */
  maxBodyBytes: number;
  /** The body once decompressed: decompression stops there (zip bombs). Default 64 MiB. */
  maxDecompressedBytes: number;
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxBodyBytes: 10 * 1024 * 1024,
  maxDecompressedBytes: 64 * 1024 * 1024,
});

export interface DecodedBody {
  /** The decompressed bytes. */
  data: Buffer;
  /** How the body was compressed: a GLPI agent's reply is encoded the same way. */
  encoding: BodyEncoding;
}

const inflate = promisify(zlib.inflate);
const gunzip = promisify(zlib.gunzip);

/** Content types agents send compressed bodies with: zlib (RFC 1950) or gzip (RFC 1952). */
const COMPRESSED_TYPES = new Set([
  "application/x-compress-zlib", // FusionInventory, GLPI agent
  "application/x-compress-gzip", // FusionInventory, GLPI agent without Compress::Zlib
  "application/x-compress", // OCS agent (zlib; gzip or even plain as its fall-backs)
  "application/x-compressed",
  "application/zlib",
  "application/gzip",
  "application/x-gzip",
]);

/** Generic content types: the body is sniffed (zlib or gzip magic bytes, else plain). */
const GENERIC_TYPES = new Set([
  "application/xml",
  "text/xml",
  "application/json",
  "text/json",
  "application/octet-stream",
  "text/plain",
  "application/x-www-form-urlencoded", // curl's default; agents never send it, but people test with curl
]);

/** `Content-Type: Application/X-Compress-Zlib; charset=x` → `application/x-compress-zlib`. */
export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/** zlib: CMF 0x78 (deflate, 32 KiB window) and a header checksum; gzip: 1f 8b 08. */
export function sniffCompression(data: Uint8Array): BodyEncoding {
  const [a, b, c] = data;
  if (a === 0x1f && b === 0x8b && c === 0x08) return "gzip";
  if (a !== undefined && b !== undefined && (a & 0x0f) === 8 && a >> 4 <= 7 && (a * 256 + b) % 31 === 0) {
    return "zlib";
  }
  return "none";
}

/**
 * Decodes an inventory request body: decompresses zlib or gzip (as declared by
 * the Content-Type, or sniffed when the type is generic or missing) within
 * hard limits, so a zip bomb fails as soon as it passes `maxDecompressedBytes`.
 *
 * Throws {@link InventoryError}: 413 over a limit, 400 for corrupt compressed
 * data or an empty body, 415 for a content type no agent sends.
 */
export async function decodeBody(
  body: Uint8Array,
  contentType: string | undefined,
  limits: Partial<DecodeLimits> = {},
): Promise<DecodedBody> {
  const { maxBodyBytes, maxDecompressedBytes } = { ...DEFAULT_DECODE_LIMITS, ...limits };
  const type = mediaType(contentType);
  if (type !== undefined && !COMPRESSED_TYPES.has(type) && !GENERIC_TYPES.has(type)) {
    throw unsupportedMediaType(
      `Content-Type ${type} is not an inventory format; send XML or JSON, plain or compressed (application/x-compress-zlib, application/x-compress-gzip)`,
    );
  }
  if (body.byteLength > maxBodyBytes) {
    throw tooLarge(`The request body is larger than ${maxBodyBytes} bytes`);
  }
  if (body.byteLength === 0) throw badRequest("The request body is empty");

  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const sniffed = sniffCompression(buffer);
  let encoding: BodyEncoding = sniffed;
  if (sniffed === "none" && type !== undefined && COMPRESSED_TYPES.has(type)) {
    // Declared compressed but no magic bytes: plain XML/JSON is what the OCS agent sends
    // under application/x-compress when it has no compressor; anything else is corrupt.
    const first = firstSignificantByte(buffer);
    if (first !== 0x3c /* < */ && first !== 0x7b /* { */) {
      encoding = type.includes("gzip") ? "gzip" : "zlib";
    }
  }

  if (encoding === "none") {
    if (buffer.byteLength > maxDecompressedBytes) {
      throw tooLarge(`The request body is larger than ${maxDecompressedBytes} bytes`);
    }
    return { data: buffer, encoding };
  }
  try {
    const options = { maxOutputLength: maxDecompressedBytes };
    const data = encoding === "gzip" ? await gunzip(buffer, options) : await inflate(buffer, options);
    return { data, encoding };
  } catch (error) {
    if (error instanceof InventoryError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) {
      throw tooLarge(`The request body decompresses to more than ${maxDecompressedBytes} bytes`);
    }
    throw badRequest(
      `The request body is not valid ${encoding} data (${(error as Error).message || "corrupt stream"})`,
    );
  }
}

function firstSignificantByte(data: Buffer): number | undefined {
  let i = 0;
  // UTF-8 byte order mark
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) i = 3;
  while (i < data.length && (data[i] === 0x20 || data[i] === 0x09 || data[i] === 0x0a || data[i] === 0x0d)) i++;
  return data[i];
}

/**
 * Bytes → text. UTF-8 (what every current agent sends), unless an XML
 * declaration names a single-byte encoding (old OCS agents: ISO-8859-1).
 * Invalid UTF-8 sequences become U+FFFD rather than failing the inventory.
 */
export function bytesToText(data: Uint8Array): string {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, 200)).toString("latin1");
  const declared = /^\uFEFF?\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (declared && /^(iso-8859-1|iso8859-1|latin-?1|windows-1252|cp1252|us-ascii|ascii)$/.test(declared)) {
    return new TextDecoder(declared.startsWith("windows") || declared === "cp1252" ? "windows-1252" : "latin1").decode(
      data,
    );
  }
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(data);
}
