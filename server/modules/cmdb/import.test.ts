import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createOrganization, createUser, signIn, unique } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;
let serverClass: string;
let org: { id: string; name: string };

/** A multipart form with one file and text fields, as a browser or curl sends it. */
function form(file: Buffer | string, fields: Record<string, string>, filename = "servers.csv") {
  const boundary = `----steward${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.isBuffer(file) ? file : Buffer.from(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

async function upload(client: Client, file: Buffer | string, fields: Record<string, string>) {
  const f = form(file, fields);
  return client.send("POST", "/api/v1/cmdb/imports", f.payload, f.type);
}

async function servers(q = "") {
  return (await admin.get(`/api/v1/cmdb/cis?classId=${serverClass}&limit=200${q}`)).json().items as {
    id: string;
    name: string;
    version: number;
    organizationId: string | null;
    attributes: Record<string, unknown>;
    locks: string[];
  }[];
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const classes = (await admin.get("/api/v1/cmdb/classes")).json().items as { id: string; code: string }[];
  serverClass = classes.find((c) => c.code === "server")?.id as string;
  org = await createOrganization(admin, unique("Initech"));
});
afterAll(() => t.close());

describe("import", () => {
  it("a dry run reports what would happen, line by line, and writes nothing", async () => {
    const csv = [
      "Name,Serial number,Memory (MB),Manufacturer,Organization,IP addresses",
      `web-01,SN-1,16384,Dell,${org.name},10.0.0.1; 10.0.0.2`,
      "web-02,SN-2,lots,Dell,,",
      "web-03,SN-3,8192,Acme Computers,,",
      `,SN-4,1024,HP,${org.name},`,
    ].join("\n");
    const res = await upload(admin, csv, { classId: serverClass });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ dryRun: true, rows: 4, created: 1, updated: 0, rejected: 3 });
    expect(report.mapping).toEqual([
      { column: "Name", field: "name" },
      { column: "Serial number", field: "serial" },
      { column: "Memory (MB)", field: "memoryMb" },
      { column: "Manufacturer", field: "manufacturer" },
      { column: "Organization", field: "organization" },
      { column: "IP addresses", field: "ipAddresses" },
    ]);
    expect(report.errors).toEqual([
      { line: 3, errors: [{ column: "Memory (MB)", message: '"lots" is not a number' }] },
      {
        line: 4,
        errors: [{ column: "Manufacturer", message: '"Acme Computers" is not a value of the manufacturer list' }],
      },
      { line: 5, errors: [{ column: null, message: "the identifier name is empty" }] },
    ]);
    expect(await servers()).toEqual([]);
  });

  it("a real run applies the good rows; a second run updates by identifier, keeping locked attributes", async () => {
    const first = [
      "Name;Serial number;Memory (MB);Organization",
      `db-01;SN-10;32768;${org.name}`,
      "db-02;SN-11;;",
    ].join("\n");
    const res = await upload(admin, first, { classId: serverClass, dryRun: "false", identifiers: "serial" });
    expect(res.json()).toMatchObject({ dryRun: false, created: 2, rejected: 0 });
    const [db1] = await servers("&q=db-01");
    expect(db1).toMatchObject({ organizationId: org.id, attributes: { serial: "SN-10", memoryMb: 32768 } });
    // A person locks the memory; the import must leave it.
    const locked = await admin.patch(`/api/v1/cmdb/cis/${db1?.id}`, { version: db1?.version, locks: ["memoryMb"] });
    expect(locked.statusCode).toBe(200);
    const second = [
      "Name,Serial number,Memory (MB)",
      "db-01 (renamed),SN-10,65536",
      "db-02,SN-11,",
      "db-03,SN-12,4096",
    ].join("\n");
    const again = await upload(admin, second, { classId: serverClass, dryRun: "false", identifiers: "serial" });
    expect(again.json()).toMatchObject({ created: 1, updated: 1, unchanged: 1, rejected: 0 });
    const after = await admin.get(`/api/v1/cmdb/cis/${db1?.id}`);
    expect(after.json()).toMatchObject({ name: "db-01 (renamed)", attributes: { memoryMb: 32768 } });
    const versions = (await admin.get(`/api/v1/cmdb/cis/${db1?.id}/versions`)).json().items;
    expect(versions[0].source).toBe("import");
    expect(await servers()).toHaveLength(3);
  });

  it("reads XLSX, takes an explicit mapping, and round-trips its own export", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Servers");
    sheet.addRow(["Host", "Serial", "Comment"]);
    sheet.addRow(["xl-01", "XL-1", "ignored"]);
    sheet.addRow(["xl-02", "XL-2", "ignored"]);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const res = await upload(admin, xlsx, {
      classId: serverClass,
      dryRun: "false",
      mapping: JSON.stringify({ Host: "name", Serial: "serial", Comment: "" }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 2, rejected: 0 });
    const csv = await admin.get(`/api/v1/cmdb/cis/export?classId=${serverClass}&q=xl-0`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="server.csv"');
    const lines = csv.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toContain("Number,Name,Class,Deployment state");
    expect(lines.slice(1).map((l) => l.split(",")[1])).toEqual(["xl-01", "xl-02"]);
    // The export imports back unchanged.
    const back = await upload(admin, csv.rawPayload, { classId: serverClass, identifiers: "serial" });
    expect(back.json()).toMatchObject({ rows: 2, unchanged: 2, rejected: 0 });
    const x = await admin.get(`/api/v1/cmdb/cis/export?classId=${serverClass}&q=xl-0&format=xlsx`);
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(read.worksheets[0]?.getRow(2).getCell(2).value).toBe("xl-01");
  });

  it("bad files get clear errors: encoding, duplicate columns, no name column, unknown mapping, 10,000 broken rows", async () => {
    const latin1 = Buffer.from("Name,Serial number\nS\xe9rveur,1\n", "latin1");
    const enc = await upload(admin, latin1, { classId: serverClass });
    expect(enc.statusCode).toBe(422);
    expect(enc.json().errors[0]).toMatchObject({ field: "file", message: expect.stringMatching(/UTF-8/) });
    expect((await upload(admin, "Name,name\na,b", { classId: serverClass })).json().errors[0].message).toMatch(/twice/);
    expect((await upload(admin, "Serial number\n1", { classId: serverClass })).json().errors[0].field).toBe("mapping");
    const unknown = await upload(admin, "Name\na", { classId: serverClass, mapping: '{"Name":"colour"}' });
    expect(unknown.json().errors[0].field).toBe("mapping.Name");
    expect((await upload(admin, "Name\na", { classId: "nope" })).statusCode).toBe(400);
    const notForm = await admin.post("/api/v1/cmdb/imports", { classId: serverClass });
    expect(notForm.statusCode).toBe(400);
    const broken = ["Name,Memory (MB)", ...Array.from({ length: 10_000 }, (_, i) => `b-${i},x${i}`)].join("\n");
    const many = await upload(admin, broken, { classId: serverClass });
    expect(many.statusCode).toBe(200);
    expect(many.json()).toMatchObject({ rows: 10_000, rejected: 10_000, created: 0 });
    expect(many.json().errors).toHaveLength(1000);
    expect(await servers("&q=b-9999")).toEqual([]);
  });

  it("is for CMDB administrators", async () => {
    const a = await createUser(admin, { kind: "agent" });
    const agent = await signIn(t, a.email);
    expect((await upload(agent, "Name\na", { classId: serverClass })).statusCode).toBe(403);
    expect((await agent.get(`/api/v1/cmdb/cis/export?classId=${serverClass}`)).statusCode).toBe(200);
  });
});
