import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createOrganization, userClient } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;
let customer: Client;
let other: Client;
let ticketId: string;

const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const org = await createOrganization(admin);
  customer = await userClient(admin, t, { kind: "customer", organizationId: org.id });
  other = await userClient(admin, t, { kind: "customer", organizationId: org.id });
  ticketId = (
    await customer.post("/api/v1/tickets", { type: "incident", title: "Screen flickers", impact: 2, urgency: 2 })
  ).json().id;
});
afterAll(() => t.close());

describe("attachments", () => {
  it("stores a file once per content and serves it as a download", async () => {
    const html = "<html><script>alert(1)</script></html>";
    const up = await customer.post(`/api/v1/tickets/${ticketId}/attachments`, {
      filename: "screen shot ü.html",
      contentType: "text/html",
      contentBase64: b64(html),
    });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({
      size: html.length,
      sha256: createHash("sha256").update(html).digest("hex"),
      internal: false,
    });
    const again = await admin.post(`/api/v1/tickets/${ticketId}/attachments`, {
      filename: "copy.html",
      contentBase64: b64(html),
    });
    expect(again.statusCode).toBe(201);
    const blobs = await t.deps.db.selectFrom("attachment_blobs").select("sha256").execute();
    expect(blobs).toHaveLength(1);
    const file = await customer.get(`/api/v1/attachments/${up.json().id}`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe(html);
    expect(file.headers["content-type"]).toBe("application/octet-stream");
    expect(file.headers["content-disposition"]).toMatch(
      /^attachment; filename="screen shot _.html"; filename\*=UTF-8''screen%20shot%20%C3%BC.html$/,
    );
    expect(file.headers["content-security-policy"]).toContain("sandbox");
  });

  it("internal files stay with the agents; other customers see nothing", async () => {
    const internal = await admin.post(`/api/v1/tickets/${ticketId}/attachments`, {
      filename: "dump.txt",
      contentBase64: b64("secret"),
      internal: true,
    });
    expect(internal.statusCode).toBe(201);
    const listed = (await customer.get(`/api/v1/tickets/${ticketId}/attachments`)).json().items;
    expect(listed.map((a: { filename: string }) => a.filename)).not.toContain("dump.txt");
    expect((await customer.get(`/api/v1/attachments/${internal.json().id}`)).statusCode).toBe(404);
    expect(
      (
        await customer.post(`/api/v1/tickets/${ticketId}/attachments`, {
          filename: "x",
          contentBase64: b64("x"),
          internal: true,
        })
      ).statusCode,
    ).toBe(403);
    expect((await other.get(`/api/v1/tickets/${ticketId}/attachments`)).statusCode).toBe(404);
    const first = listed[0].id;
    expect((await other.get(`/api/v1/attachments/${first}`)).statusCode).toBe(404);
  });

  it("refuses paths, empty and oversized files, naming the field", async () => {
    const path = await admin.post(`/api/v1/tickets/${ticketId}/attachments`, {
      filename: "../etc/passwd",
      contentBase64: b64("x"),
    });
    expect(path.statusCode).toBe(400);
    expect(path.json().errors[0].field).toBe("body.filename");
    const empty = await admin.post(`/api/v1/tickets/${ticketId}/attachments`, { filename: "e", contentBase64: "" });
    expect([400, 422]).toContain(empty.statusCode);
    const big = await admin.post(`/api/v1/tickets/${ticketId}/attachments`, {
      filename: "big.bin",
      contentBase64: Buffer.alloc(10 * 1024 * 1024 + 1).toString("base64"),
    });
    expect(big.statusCode).toBe(422);
    expect(big.json().errors[0].field).toBe("body.contentBase64");
  });
});
