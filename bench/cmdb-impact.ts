/**
 * CMDB impact figures on a generated graph:
 * `DATABASE_URL=postgres://… npx tsx bench/cmdb-impact.ts [--cis 100000] [--relations 500000] [--runs 20]`.
 * Builds a layered estate in its own database (network devices ← servers ← virtual machines ←
 * applications ← business services, plus databases, software and "no impact" relations), then
 * measures the impact endpoint through the real HTTP app and prints the walk's size. Drops the
 * database at the end (keep it with --keep).
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pino from "pino";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/db/database.ts";
import { migrate } from "../server/db/migrate.ts";
import { createAdmin } from "../server/modules/identity/index.ts";
import { createDeps, createHttpApp } from "../server/runtime.ts";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const CIS = Number(arg("cis", "100000"));
const RELATIONS = Number(arg("relations", "500000"));
const RUNS = Number(arg("runs", "20"));
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to a PostgreSQL server (a database is created there and dropped after).");
  process.exit(2);
}
const name = `steward_bench_${randomBytes(4).toString("hex")}`;
const server = new URL(url);
server.pathname = "/postgres";
const root = await openDatabase({ databaseUrl: server.toString(), poolSize: 1 });
await root.executeSql(`create database ${name}`);
const target = new URL(url);
target.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: target.toString(), poolSize: 8 });
const db = database.db;

function bar(label: string, done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stdout.write(`\r${label.padEnd(24)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
  if (done >= total) process.stdout.write("\n");
}

// Share of the CIs per layer, lowest first; each layer depends on the one below it.
const LAYERS: [code: string, share: number, relation: string][] = [
  ["network_device", 0.005, "connected_to"],
  ["server", 0.15, "depends_on"],
  ["virtual_machine", 0.35, "runs_on"],
  ["database", 0.05, "runs_on"],
  ["application", 0.3, "runs_on"],
  ["business_service", 0.045, "depends_on"],
  ["software", 0.1, "installed_on"],
];

try {
  await migrate(db);
  const t0 = performance.now();
  const production = (
    await db
      .selectFrom("catalog_items")
      .select("id")
      .where("list", "=", "deployment_state")
      .where("name", "=", "Production")
      .executeTakeFirstOrThrow()
  ).id;
  let made = 0;
  for (const [code, share] of LAYERS) {
    const n = Math.max(10, Math.round(CIS * share));
    const cls = await db
      .selectFrom("ci_classes")
      .select(["id", "version"])
      .where("code", "=", code)
      .executeTakeFirstOrThrow();
    for (let done = 0; done < n; done += 20_000) {
      const size = Math.min(20_000, n - done);
      await sql`insert into cis (class_id, class_version, name, deployment_state_id, search)
        select ${cls.id}::uuid, ${cls.version}::int, ${`${code}-`} || (${done}::int + g), ${production}::uuid, ${`${code}-`} || (${done}::int + g)
        from generate_series(1, ${size}::int) g`.execute(db);
      made += size;
      bar("configuration items", made, CIS);
    }
  }
  await sql`create temp table layer as
    select c.id, cl.code, row_number() over (partition by cl.code order by c.number) - 1 as i
    from cis c join ci_classes cl on cl.id = c.class_id`.execute(db);
  await sql`create index on layer (code, i)`.execute(db);
  await sql`analyze layer`.execute(db);
  const sizes = Object.fromEntries(
    (await sql<{ code: string; n: string }>`select code, count(*) as n from layer group by code`.execute(db)).rows.map(
      (r) => [r.code, Number(r.n)],
    ),
  );
  // Each layer's CIs point at random CIs of the layer below (applications also at databases);
  // the rest of the relation budget is "no impact" cross links.
  const plan: [from: string, to: string, type: string, perCi: number][] = [
    ["network_device", "network_device", "connected_to", 2],
    ["server", "network_device", "depends_on", 2],
    ["virtual_machine", "server", "runs_on", 1],
    ["database", "virtual_machine", "runs_on", 1],
    ["application", "virtual_machine", "runs_on", 2],
    ["application", "database", "depends_on", 1],
    ["business_service", "application", "depends_on", 3],
    ["software", "virtual_machine", "installed_on", 3],
  ];
  let linked = 0;
  const structural = plan.reduce((sum, [from, , , k]) => sum + (sizes[from] ?? 0) * k, 0);
  for (const [from, to, type, k] of plan) {
    const n = sizes[to] ?? 1;
    for (let r = 0; r < k; r++) {
      // The random pick is a column of its own, so each source gets exactly one target.
      await sql`insert into ci_relations (source_id, target_id, type)
        select s.id, t.id, ${type}
        from (select id, floor(random() * ${n})::int as pick from layer where code = ${from}) s
        join layer t on t.code = ${to} and t.i = s.pick
        where s.id <> t.id
        on conflict do nothing`.execute(db);
      linked += sizes[from] ?? 0;
      bar("relations", Math.min(linked, RELATIONS), RELATIONS);
    }
  }
  const rest = Math.max(0, RELATIONS - structural);
  for (let done = 0; done < rest; done += 50_000) {
    const size = Math.min(50_000, rest - done);
    await sql`insert into ci_relations (source_id, target_id, type)
      select a.id, b.id, 'relevant_to'
      from (select floor(random() * ${sizes.application ?? 1})::int as ai, floor(random() * ${sizes.server ?? 1})::int as bi
            from generate_series(1, ${size}::int)) g
      join layer a on a.code = 'application' and a.i = g.ai
      join layer b on b.code = 'server' and b.i = g.bi
      on conflict do nothing`.execute(db);
    linked += size;
    bar("relations", Math.min(linked, RELATIONS), RELATIONS);
  }
  await sql`analyze`.execute(db);
  const counts = (
    await sql<{
      cis: string;
      relations: string;
    }>`select (select count(*) from cis) as cis, (select count(*) from ci_relations) as relations`.execute(db)
  ).rows[0];
  console.log(
    `built ${counts?.cis} CIs and ${counts?.relations} relations in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const config = { ...loadConfig({ LOG_LEVEL: "silent" }), databaseUrl: target.toString() };
  const deps = createDeps(config, database, pino({ level: "silent" }));
  const app = await createHttpApp(deps, { logger: false, web: false });
  await createAdmin(deps, { email: "bench-admin@example.com", password: "bench-password-123" });
  const login = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email: "bench-admin@example.com", password: "bench-password-123" },
  });
  const headers = {
    cookie: `steward_session=${login.cookies.find((c) => c.name === "steward_session")?.value}`,
    "x-csrf-token": login.json().user.csrfToken as string,
  };
  const pick = async (code: string) =>
    (await sql<{ id: string }>`select id from layer where code = ${code} and i = 0`.execute(db)).rows[0]?.id as string;
  const sw = await pick("network_device");
  const srv = await pick("server");
  const svc = await pick("business_service");
  const serverClass = (
    await db.selectFrom("ci_classes").select("id").where("code", "=", "server").executeTakeFirstOrThrow()
  ).id;
  await sql`update cis set attributes = jsonb_build_object('hostname', name || '.example.net')
    where class_id = ${serverClass}::uuid`.execute(db);
  await sql`analyze cis`.execute(db);
  const vms = (
    await sql<{ id: string }>`select id from layer where code = 'virtual_machine' and i < 3`.execute(db)
  ).rows.map((r) => r.id);

  const scenarios: [string, "GET" | "POST", string, unknown?][] = [
    ["switch down, 5 hops", "GET", `/api/v1/cmdb/cis/${sw}/impact?depth=5`],
    ["server down, 5 hops", "GET", `/api/v1/cmdb/cis/${srv}/impact?depth=5`],
    ["service needs, 5 hops up", "GET", `/api/v1/cmdb/cis/${svc}/impact?direction=upstream&depth=5`],
    ["what if 3 VMs fail", "POST", "/api/v1/cmdb/impact-simulation", { ciIds: vms }],
    ["graph of a server, 2 hops", "GET", `/api/v1/cmdb/cis/${srv}/graph?depth=2`],
    ["list: servers by name", "GET", `/api/v1/cmdb/cis?classId=${serverClass}&limit=50`],
    ["list: search 'server-1234'", "GET", "/api/v1/cmdb/cis?q=server-1234&limit=50"],
    [
      "list: attribute filter",
      "GET",
      `/api/v1/cmdb/cis?classId=${serverClass}&attribute=hostname=server-77.example.net`,
    ],
  ];
  console.log(
    `\n${"scenario".padEnd(28)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"reached".padStart(8)} ${"services".padStart(9)}`,
  );
  for (const [label, method, path, payload] of scenarios) {
    const times: number[] = [];
    let reached = 0;
    let services = 0;
    for (let i = 0; i < RUNS + 3; i++) {
      const began = performance.now();
      const res = await app.inject({
        method,
        url: path,
        headers: payload ? { ...headers, "content-type": "application/json" } : headers,
        ...(payload ? { payload: JSON.stringify(payload) } : {}),
      });
      const ms = performance.now() - began;
      if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      const body = res.json();
      reached = body.total ?? body.nodes?.length ?? body.items?.length ?? 0;
      services = body.services?.length ?? 0;
      if (i >= 3) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
    console.log(
      `${label.padEnd(28)} ${p(0.5).padStart(8)} ${p(0.95).padStart(8)} ${String(reached).padStart(8)} ${String(services).padStart(9)}`,
    );
  }
  await app.close();
  console.log(
    `\n(${counts?.cis} CIs, ${counts?.relations} relations, ${RUNS} runs each after 3 warm-up, in-process HTTP, PostgreSQL)`,
  );
} finally {
  await database.close();
  if (!args.includes("--keep")) await root.executeSql(`drop database if exists ${name} with (force)`);
  await root.close();
}
