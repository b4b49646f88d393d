import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createUser, userClient } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const defs = [
    { key: "asset_tag", label: "Asset tag", kind: "text", required: true },
    { key: "users_affected", label: "Users affected", kind: "number" },
    { key: "since", label: "Since", kind: "date" },
    { key: "site", label: "Site", kind: "select", options: ["Berlin", "Lyon"] },
    { key: "channels", label: "Channels", kind: "multiselect", options: ["mail", "phone", "chat"] },
    { key: "vip", label: "VIP", kind: "checkbox" },
    { key: "approver", label: "Approver", kind: "user" },
  ];
  for (const d of defs) {
    const res = await admin.post("/api/v1/custom-fields", { ticketType: "incident", ...d });
    expect(res.statusCode).toBe(201);
  }
});
afterAll(() => t.close());

const base = { type: "incident", title: "Broken", impact: 2, urgency: 2 };

describe("custom fields", () => {
  it("validates each kind and the required ones, naming the field", async () => {
    const res = await admin.post("/api/v1/tickets", {
      ...base,
      customFields: {
        users_affected: "many",
        since: "2026-13-40",
        site: "Paris",
        channels: ["fax"],
        vip: "yes",
        approver: "x",
        colour: 1,
      },
    });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(
      [
        "body.customFields.approver",
        "body.customFields.asset_tag",
        "body.customFields.channels",
        "body.customFields.colour",
        "body.customFields.since",
        "body.customFields.site",
        "body.customFields.users_affected",
        "body.customFields.vip",
      ].sort(),
    );
  });

  it("stores typed values, filters on them, and updates them (null removes)", async () => {
    const approver = await createUser(admin, { kind: "agent" });
    const res = await admin.post("/api/v1/tickets", {
      ...base,
      customFields: {
        asset_tag: "LAP-042",
        users_affected: 12,
        site: "Lyon",
        channels: ["mail", "chat"],
        vip: true,
        approver: approver.id,
      },
    });
    expect(res.statusCode).toBe(201);
    const ticket = res.json();
    expect(ticket.customFields).toMatchObject({ asset_tag: "LAP-042", users_affected: 12, vip: true });
    const found = (q: string) => admin.get(`/api/v1/tickets?customField=${encodeURIComponent(q)}`);
    expect((await found("site=Lyon")).json().items.map((x: { id: string }) => x.id)).toEqual([ticket.id]);
    expect((await found("users_affected=12")).json().items).toHaveLength(1);
    expect((await found("vip=false")).json().items).toHaveLength(0);
    const updated = await admin.patch(`/api/v1/tickets/${ticket.id}`, {
      version: ticket.version,
      customFields: { site: null, users_affected: 20 },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().customFields).not.toHaveProperty("site");
    expect(updated.json().customFields.users_affected).toBe(20);
    const removeRequired = await admin.patch(`/api/v1/tickets/${ticket.id}`, {
      version: updated.json().version,
      customFields: { asset_tag: null },
    });
    expect(removeRequired.statusCode).toBe(422);
  });

  it("only administrators define fields; keys are unique per type", async () => {
    const agent = await userClient(admin, t, { kind: "agent" });
    expect(
      (await agent.post("/api/v1/custom-fields", { ticketType: "incident", key: "x", label: "X", kind: "text" }))
        .statusCode,
    ).toBe(403);
    const dup = await admin.post("/api/v1/custom-fields", {
      ticketType: "incident",
      key: "site",
      label: "Site",
      kind: "text",
    });
    expect(dup.statusCode).toBe(409);
    const noOptions = await admin.post("/api/v1/custom-fields", {
      ticketType: "problem",
      key: "s",
      label: "S",
      kind: "select",
    });
    expect(noOptions.statusCode).toBe(400);
    const list = (await agent.get("/api/v1/custom-fields?ticketType=incident")).json().items;
    expect(list.map((f: { key: string }) => f.key)).toContain("asset_tag");
  });
});
