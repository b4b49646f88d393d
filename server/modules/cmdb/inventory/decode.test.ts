import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { bytesToText, DEFAULT_DECODE_LIMITS, decodeBody, mediaType, sniffCompression } from "./decode.ts";
import { InventoryError } from "./errors.ts";

const XML = '<?xml version="1.0" encoding="UTF-8"?><REQUEST><QUERY>PROLOG</QUERY></REQUEST>';

async function refusal(promise: Promise<unknown>): Promise<InventoryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InventoryError);
  return error as InventoryError;
}

describe("decodeBody", () => {
  it("has the documented default limits", () => {
    expect(DEFAULT_DECODE_LIMITS).toEqual({ maxBodyBytes: 10 * 1024 * 1024, maxDecompressedBytes: 64 * 1024 * 1024 });
  });

  it.each([
    ["application/x-compress-zlib", zlib.deflateSync(XML), "zlib"],
    ["application/x-compress", zlib.deflateSync(XML), "zlib"],
    ["application/x-compress-gzip", zlib.gzipSync(XML), "gzip"],
    ["application/xml", zlib.deflateSync(XML, { level: 9 }), "zlib"],
    ["application/octet-stream", zlib.gzipSync(XML), "gzip"],
    [undefined, zlib.deflateSync(XML, { level: 1 }), "zlib"],
    ["application/xml", Buffer.from(XML), "none"],
    ["application/json; charset=utf-8", Buffer.from('{"action":"contact"}'), "none"],
    // the OCS agent without a compressor sends plain XML under its usual type
    ["application/x-compress", Buffer.from(`\n${XML}`), "none"],
    // an agent declaring zlib and sending gzip is believed by the bytes
    ["Application/X-Compress-Zlib", zlib.gzipSync(XML), "gzip"],
  ] as const)("decodes %s (%#)", async (contentType, body, encoding) => {
    const decoded = await decodeBody(body, contentType);
    expect(decoded.encoding).toBe(encoding);
    expect(bytesToText(decoded.data).trim()).toMatch(/<REQUEST>|"action"/);
  });

  it("refuses a zip bomb as soon as it decompresses past the limit (413)", async () => {
    const bomb = zlib.deflateSync(Buffer.alloc(1024 * 1024)); // 1 MiB of zeros → ~1 KiB
    expect(bomb.length).toBeLessThan(2048);
    const error = await refusal(decodeBody(bomb, "application/x-compress-zlib", { maxDecompressedBytes: 256 * 1024 }));
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/decompresses to more than 262144 bytes/);
    // the same body within the limit is fine
    const ok = await decodeBody(bomb, "application/x-compress-zlib", { maxDecompressedBytes: 1024 * 1024 });
    expect(ok.data.length).toBe(1024 * 1024);
  });

  it("refuses a real-size bomb at the default 64 MiB limit, quickly (gzip too)", async () => {
    const zeros = Buffer.alloc(80 * 1024 * 1024);
    for (const [type, bomb] of [
      ["application/x-compress-zlib", zlib.deflateSync(zeros)],
      ["application/x-compress-gzip", zlib.gzipSync(zeros)],
    ] as const) {
      expect(bomb.length).toBeLessThan(100 * 1024);
      const started = performance.now();
      const error = await refusal(decodeBody(bomb, type));
      expect(error.status).toBe(413);
      expect(performance.now() - started).toBeLessThan(5000);
    }
  });

  it("refuses a body over maxBodyBytes before decompressing it (413)", async () => {
    const body = zlib.deflateSync(Buffer.from(XML));
    const error = await refusal(decodeBody(body, "application/x-compress-zlib", { maxBodyBytes: body.length - 1 }));
    expect(error.status).toBe(413);
    const plain = await refusal(decodeBody(Buffer.alloc(2000, 0x20), "application/xml", { maxBodyBytes: 1000 }));
    expect(plain.status).toBe(413);
  });

  it("refuses corrupt zlib and gzip data (400)", async () => {
    const good = zlib.deflateSync(XML);
    const truncated = good.subarray(0, good.length - 8);
    const flipped = Buffer.from(good);
    flipped[10] = (flipped[10] ?? 0) ^ 0xff;
    for (const [body, type] of [
      [Buffer.from("this is not zlib at all"), "application/x-compress-zlib"],
      [truncated, "application/x-compress-zlib"],
      [flipped, "application/x-compress"],
      [Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3]), "application/x-compress-gzip"],
      [Buffer.from([0x78, 0x9c, 0xff, 0xff, 0xff]), "application/xml"],
    ] as const) {
      const error = await refusal(decodeBody(body, type));
      expect(error.status, `${type} ${body.toString("hex").slice(0, 20)}`).toBe(400);
      expect(error.message).toMatch(/not valid (zlib|gzip) data/);
    }
  });

  it("refuses content types no agent sends (415)", async () => {
    for (const type of ["multipart/form-data; boundary=x", "image/png", "text/html", "application/pdf"]) {
      const error = await refusal(decodeBody(Buffer.from(XML), type));
      expect(error.status).toBe(415);
      expect(error.message).toContain(type.split(";")[0]);
    }
  });

  it("refuses an empty body (400)", async () => {
    expect((await refusal(decodeBody(Buffer.alloc(0), "application/x-compress-zlib"))).status).toBe(400);
  });

  it("InventoryError is an AppError with a problem title", async () => {
    const error = await refusal(decodeBody(Buffer.alloc(0), "image/png"));
    expect(error).toMatchObject({ status: 415, title: "Unsupported Media Type" });
  });
});

describe("helpers", () => {
  it("mediaType drops parameters and case", () => {
    expect(mediaType("Application/X-Compress-Zlib; charset=UTF-8")).toBe("application/x-compress-zlib");
    expect(mediaType("")).toBeUndefined();
    expect(mediaType(undefined)).toBeUndefined();
  });

  it("sniffCompression knows zlib at every level, gzip, and plain text", () => {
    for (const level of [0, 1, 6, 9]) expect(sniffCompression(zlib.deflateSync("x", { level }))).toBe("zlib");
    expect(sniffCompression(zlib.gzipSync("x"))).toBe("gzip");
    expect(sniffCompression(Buffer.from(XML))).toBe("none");
    expect(sniffCompression(Buffer.from("{}"))).toBe("none");
    expect(sniffCompression(Buffer.from("x"))).toBe("none");
  });

  it("bytesToText reads UTF-8, and Latin-1 when the XML declaration says so", () => {
    expect(bytesToText(Buffer.from("<A>é</A>", "utf8"))).toBe("<A>é</A>");
    const latin = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><A>é</A>', "latin1");
    expect(bytesToText(latin)).toContain("<A>é</A>");
    // invalid UTF-8 does not fail the message
    expect(bytesToText(Buffer.from([0x3c, 0x41, 0x3e, 0xff, 0x3c]))).toBe("<A>\uFFFD<");
  });
});
