/**
 * The GLPI agent is not packaged in Debian 12, so its captured requests are
 * replayed over HTTP, and its replies are read the way the agent reads them
 * (GLPI::Agent::HTTP::Client::OCS for the XML PROLOG, ::GLPI for JSON).
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeInventory } from "./merge.ts";
import { type InventoryListener, startInventoryListener } from "./testing/listener.ts";
import type { InventoryMessage } from "./types.ts";

const FIXTURES = path.join(import.meta.dirname, "fixtures", "glpi-agent");
const HEADERS = {
  "User-Agent": "GLPI-Agent_v1.12-dev",
  "GLPI-Agent-ID": "3a609d2c-4f39-4d1b-8d3b-2c8b5a1f0e77",
  "Content-Type": "application/x-compress-zlib",
};

/** GLPI::Agent::HTTP::Client::OCS::_uncompress: by the first bytes; zlib only with the 78 9C header. */
function readLikeOcsClient(body: Buffer): string | undefined {
  const latin = body.toString("latin1");
  const zlibAt = latin.indexOf("\x78\x9c");
  if (zlibAt >= 0) return zlib.inflateSync(body.subarray(zlibAt)).toString("utf8");
  if (latin.includes("\x1f\x8b\x08")) return zlib.gunzipSync(body.subarray(latin.indexOf("\x1f\x8b\x08"))).toString();
  if (/^\s*\{.*\}\s*$/s.test(latin)) return latin;
  return undefined;
}

/** GLPI::Agent::HTTP::Client::GLPI::_uncompress: by the exact Content-Type. */
function readLikeGlpiClient(contentType: string, body: Buffer): string | undefined {
  if (!/^application\/x-/i.test(contentType)) return body.toString("utf8");
  const type = contentType.replace(/^application\//i, "");
  if (/^x-compress-zlib$/i.test(type)) return zlib.inflateSync(body).toString("utf8");
  if (/^x-compress-gzip$/i.test(type)) return zlib.gunzipSync(body).toString("utf8");
  return undefined; // "unsupported format": application/x-compress among others
}

/** GLPI::Agent::Protocol::Message::expiration, in seconds; 0 when unusable. */
function expirationSeconds(answer: { expiration?: unknown }): number {
  const match = /^(\d+)([dshm]?)$/.exec(String(answer.expiration ?? ""));
  if (!match) return 0;
  const unit: Record<string, number> = { "": 3600, s: 1, m: 60, h: 3600, d: 86400 };
  return Number(match[1]) * (unit[match[2] ?? ""] ?? 0);
}

describe("a GLPI agent's two runs, replayed", () => {
  let listener: InventoryListener;
  beforeAll(async () => {
    listener = await startInventoryListener();
  });
  afterAll(async () => {
    await listener.close();
  });

  async function post(file: string) {
    const body = zlib.deflateSync(fs.readFileSync(path.join(FIXTURES, file)));
    const response = await fetch(listener.url, { method: "POST", headers: HEADERS, body });
    const contentType = response.headers.get("content-type") ?? "";
    const reply = Buffer.from(await response.arrayBuffer());
    const message = listener.requests.at(-1)?.message;
    return { status: response.status, contentType, reply, message };
  }

  it("PROLOG (XML) gets a JSON answer the agent's OCS client takes for a GLPI server's", async () => {
    const { status, reply, message } = await post("01-run1-prolog-request.xml");
    expect(status).toBe(200);
    expect(message).toMatchObject({ kind: "prolog", protocol: "glpi" });
    const text = readLikeOcsClient(reply);
    expect(text).toBeDefined();
    const answer = JSON.parse(text ?? "");
    expect(answer).toEqual({ status: "ok", expiration: 24 });
    expect(expirationSeconds(answer)).toBeGreaterThan(0);
  });

  let full: InventoryMessage | undefined;
  it.each([
    ["03-run1-inventory-full-request.json", "inventory"],
    ["04-run2-contact-request.json", "contact"],
    ["05-run2-inventory-partial-request.json", "inventory"],
  ])("%s gets status and expiration, zlib under a type the JSON client accepts", async (file, kind) => {
    const { status, contentType, reply, message } = await post(file);
    expect(status).toBe(200);
    expect(message?.kind).toBe(kind);
    expect(contentType).toBe("application/x-compress-zlib");
    const text = readLikeGlpiClient(contentType, reply);
    expect(text).toBeDefined();
    const answer = JSON.parse(text ?? "");
    expect(answer.status).toBe("ok");
    expect(expirationSeconds(answer)).toBeGreaterThan(0);

    if (file.startsWith("03")) full = message;
    if (file.startsWith("05") && message?.kind === "inventory" && full?.kind === "inventory") {
      expect(message.partial).toBe(true);
      const merged = mergeInventory(full.inventory, message.inventory);
      expect(merged.software?.length).toBe(1007);
      expect(merged.hostname).toBe("vm");
    }
  });

  it("garbage is refused with a 400 and recorded", async () => {
    const response = await fetch(listener.url, {
      method: "POST",
      headers: HEADERS,
      body: zlib.deflateSync('{"action":"inventory","deviceid":"x","content":'),
    });
    expect(response.status).toBe(400);
    expect(listener.requests.at(-1)?.error?.status).toBe(400);
  });
});

describe("the readers above are faithful", () => {
  it("the JSON client refuses application/x-compress and a charset on x-compress-zlib", () => {
    const body = zlib.deflateSync("{}");
    expect(readLikeGlpiClient("application/x-compress", body)).toBeUndefined();
    expect(readLikeGlpiClient("application/x-compress-zlib; charset=utf-8", body)).toBeUndefined();
    expect(readLikeGlpiClient("application/json; charset=utf-8", Buffer.from("{}"))).toBe("{}");
  });

  it("the OCS client does not see zlib at level 9", () => {
    expect(readLikeOcsClient(zlib.deflateSync('{"a":1}', { level: 9 }))).toBeUndefined();
  });

  it("expirations", () => {
    expect(expirationSeconds({ expiration: 24 })).toBe(86400);
    expect(expirationSeconds({ expiration: "30s" })).toBe(30);
    expect(expirationSeconds({ expiration: 0 })).toBe(0);
    expect(expirationSeconds({})).toBe(0);
  });
});
