import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  fusionInventoryReply,
  fusionPrologReply,
  glpiErrorReply,
  glpiOkReply,
  ocsInventoryReply,
  ocsPrologReply,
  replyTo,
} from "./replies.ts";
import type { InventoryMessage } from "./types.ts";

const inflate = (body: Buffer) => zlib.inflateSync(body).toString("utf8");
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

describe("FusionInventory replies", () => {
  it("PROLOG: SEND and PROLOG_FREQ, zlib with the 78 9C header the agent looks for", () => {
    const reply = fusionPrologReply();
    expect(reply.contentType).toBe("application/x-compress-zlib");
    expect([...reply.body.subarray(0, 2)]).toEqual([0x78, 0x9c]);
    expect(inflate(reply.body)).toBe(
      `${XML_DECLARATION}<REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>24</PROLOG_FREQ></REPLY>\n`,
    );
    expect(inflate(fusionPrologReply({ frequencyHours: 6 }).body)).toContain("<PROLOG_FREQ>6</PROLOG_FREQ>");
    expect(() => fusionPrologReply({ frequencyHours: 0 })).toThrow(RangeError);
  });

  it("INVENTORY: NO_ACCOUNT_UPDATE, or ACCOUNT_UPDATE on request", () => {
    expect(inflate(fusionInventoryReply().body)).toBe(
      `${XML_DECLARATION}<REPLY><RESPONSE>NO_ACCOUNT_UPDATE</RESPONSE></REPLY>\n`,
    );
    expect(inflate(fusionInventoryReply({ accountUpdate: true }).body)).toContain(
      "<RESPONSE>ACCOUNT_UPDATE</RESPONSE>",
    );
  });
});

describe("OCS replies", () => {
  it("are always zlib, as application/x-compressed", () => {
    const prolog = ocsPrologReply();
    expect(prolog.contentType).toBe("application/x-compressed");
    expect(inflate(prolog.body)).toContain("<RESPONSE>SEND</RESPONSE><PROLOG_FREQ>24</PROLOG_FREQ>");
    const inventory = ocsInventoryReply();
    expect(inventory.contentType).toBe("application/x-compressed");
    expect(inflate(inventory.body)).toContain("<RESPONSE>NO_ACCOUNT_UPDATE</RESPONSE>");
  });
});

describe("GLPI agent replies", () => {
  it("are JSON encoded like the request, never application/x-compress", () => {
    const zlibbed = glpiOkReply({ encoding: "zlib" });
    expect(zlibbed.contentType).toBe("application/x-compress-zlib");
    expect([...zlibbed.body.subarray(0, 2)]).toEqual([0x78, 0x9c]);
    expect(JSON.parse(inflate(zlibbed.body))).toEqual({ status: "ok", expiration: 24 });

    const gzipped = glpiOkReply({ encoding: "gzip", frequencyHours: 2 });
    expect(gzipped.contentType).toBe("application/x-compress-gzip");
    expect(JSON.parse(zlib.gunzipSync(gzipped.body).toString())).toEqual({ status: "ok", expiration: 2 });

    const plain = glpiOkReply();
    expect(plain.contentType).toBe("application/json");
    expect(JSON.parse(plain.body.toString())).toEqual({ status: "ok", expiration: 24 });

    expect(JSON.parse(glpiErrorReply("nope").body.toString())).toEqual({ status: "error", message: "nope" });
  });
});

describe("replyTo", () => {
  const inventory = { present: [] };
  const cases: [InventoryMessage, string, RegExp][] = [
    [{ kind: "prolog", protocol: "fusion", deviceId: "d" }, "application/x-compress-zlib", /<RESPONSE>SEND</],
    [
      { kind: "inventory", protocol: "fusion", deviceId: "d", partial: false, inventory },
      "application/x-compress-zlib",
      /NO_ACCOUNT_UPDATE/,
    ],
    [{ kind: "prolog", protocol: "ocs", deviceId: "d" }, "application/x-compressed", /<RESPONSE>SEND</],
    [
      { kind: "inventory", protocol: "ocs", deviceId: "d", partial: false, inventory },
      "application/x-compressed",
      /NO_ACCOUNT_UPDATE/,
    ],
    // the GLPI agent's XML PROLOG gets JSON: that is what makes it switch to its JSON protocol
    [{ kind: "prolog", protocol: "glpi", deviceId: "d" }, "application/x-compress-zlib", /"expiration":24/],
    [{ kind: "contact", protocol: "glpi", deviceId: "d", tasks: [] }, "application/x-compress-zlib", /"status":"ok"/],
    [
      { kind: "inventory", protocol: "glpi", deviceId: "d", partial: true, inventory },
      "application/x-compress-zlib",
      /"status":"ok","expiration":24/,
    ],
  ];

  it.each(cases)("%o → %s", (message, contentType, body) => {
    const reply = replyTo(message, { encoding: "zlib" });
    expect(reply.contentType).toBe(contentType);
    expect(inflate(reply.body)).toMatch(body);
  });

  it("XML agents get zlib whatever their request's encoding; GLPI follows it", () => {
    const prolog: InventoryMessage = { kind: "prolog", protocol: "fusion", deviceId: "d" };
    expect(replyTo(prolog, { encoding: "none" }).contentType).toBe("application/x-compress-zlib");
    expect(replyTo({ ...prolog, protocol: "glpi" }, { encoding: "none" }).contentType).toBe("application/json");
  });
});
