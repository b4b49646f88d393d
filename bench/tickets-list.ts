/**
 * Work-list figures on generated data: `DATABASE_URL=postgres://… npx tsx bench/tickets-list.ts [--tickets 100000]`.
 * Creates its own database next to DATABASE_URL's, fills it with SQL (tickets, replies, watchers),
 * then measures the list endpoints through the real HTTP app and prints their query plans. Drops the
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
const N = Number(arg("tickets", "100000"));
const RUNS = Number(arg("runs", "40"));
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to a PostgreSQL server (a database is created there and dropped after).");
  process.exit(2);
}
const name = `steward_bench_${randomBytes(4).toString("hex")}`;
const server = new URL(url);
server.pathname = "/postgres";
const admin = await openDatabase({ databaseUrl: server.toString(), poolSize: 1 });
await admin.executeSql(`create database ${name}`);
const target = new URL(url);
target.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: target.toString(), poolSize: 8 });
const db = database.db;

function bar(label: string, done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stdout.write(`\r${label.padEnd(28)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stdout.write("\n");
}

try {
  await migrate(db);
  const t0 = performance.now();
  await sql`insert into organizations (name) select 'Customer ' || g from generate_series(1, 50) g`.execute(db);
  await sql`insert into users (email, name, kind, organization_id)
    select 'c' || g || '@example.com', 'Customer user ' || g, 'customer',
      (select id from organizations order by name offset (g % 50) limit 1)
    from generate_series(1, 2000) g`.execute(db);
  await sql`insert into users (email, name, kind) select 'a' || g || '@example.com', 'Agent ' || g, 'agent' from generate_series(1, 30) g`.execute(
    db,
  );
  await sql`insert into user_roles (user_id, role_id)
    select u.id, r.id from users u, roles r where u.kind = 'agent' and r.name = 'Agent'`.execute(db);
  await sql`insert into groups (name) select 'Team ' || g from generate_series(1, 5) g`.execute(db);
  await sql`insert into group_members (group_id, user_id)
    select t.id, a.id
    from (select id, row_number() over (order by email) rn from users where kind = 'agent') a
    join (select id, row_number() over (order by name) rn from groups where name like 'Team %') t on t.rn = 1 + a.rn % 5`.execute(
    db,
  );

  const words = [
    "printer",
    "vpn",
    "mail",
    "laptop",
    "password",
    "network",
    "outage",
    "slow",
    "license",
    "monitor",
    "wifi",
    "backup",
  ];
  const batch = 20_000;
  for (let done = 0; done < N; done += batch) {
    const size = Math.min(batch, N - done);
    await sql`
      with agents as (select array_agg(id order by email) a from users where kind = 'agent'),
           customers as (select array_agg(id order by email) c, array_agg(organization_id order by email) o from users where kind = 'customer'),
           teams as (select array_agg(id order by name) t from groups where name like 'Team %')
      insert into tickets (type, number, title, description, description_text, state, state_type, impact, urgency, priority,
        requester_id, organization_id, group_id, assignee_id, created_at, updated_at)
      select
        (array['incident', 'incident', 'incident', 'service_request', 'problem'])[1 + g % 5],
        ${done}::int + g,
        initcap((${sql.val(words)}::text[])[1 + g % 12]) || ' issue ' || g,
        '<p>Generated ticket ' || g || '</p>',
        'Generated ticket ' || g || ' ' || (${sql.val(words)}::text[])[1 + (g * 7) % 12],
        case when g % 47 = 0 then 'in_progress' when g % 97 = 0 then 'new' else 'closed' end,
        case when g % 47 = 0 then 'open' when g % 97 = 0 then 'new' else 'closed' end,
        1 + g % 3, 1 + (g / 3) % 3, (array['P1','P2','P3','P4'])[1 + g % 4],
        customers.c[1 + g % 2000], customers.o[1 + g % 2000], teams.t[1 + g % 5],
        case when g % 3 = 0 then null else agents.a[1 + g % 30] end,
        now() - ((${N}::int - ${done}::int - g) * interval '25 minutes'), now()
      from generate_series(1, ${size}) g, agents, customers, teams`.execute(db);
    bar("tickets", done + size, N);
  }
  await sql`insert into ticket_articles (ticket_id, kind, author_id, body, body_text, source, created_at)
    select id, 'reply', requester_id, '<p>Reply</p>', 'Customer says the ' || title || ' still happens', 'api', created_at + interval '1 hour'
    from tickets`.execute(db);
  bar("replies", N, N);
  // Open tickets carry the due time the SLA engine keeps for the "SLA due" sort; a few are paused (none).
  await sql`update tickets set sla_due_at = created_at + (array[interval '4 hours', interval '8 hours',
      interval '1 day', interval '3 days'])[right(priority, 1)::int]
    where state_type in ('new', 'open', 'pending') and number % 5 <> 0`.execute(db);
  await sql`analyze`.execute(db);
  const loadSeconds = (performance.now() - t0) / 1000;
  console.log(
    `loaded ${N} tickets and ${N} replies in ${loadSeconds.toFixed(1)} s (${Math.round(N / loadSeconds)} tickets/s)`,
  );

  const config = { ...loadConfig({ LOG_LEVEL: "silent" }), databaseUrl: target.toString() };
  const deps = createDeps(config, database, pino({ level: "silent" }));
  const app = await createHttpApp(deps, { logger: false, web: false });
  await createAdmin(deps, { email: "bench-admin@example.com", password: "bench-password-123" });
  const agent = await db
    .selectFrom("users")
    .select("email")
    .where("kind", "=", "agent")
    .orderBy("email")
    .executeTakeFirstOrThrow();
  await sql`update users set password_hash = (select password_hash from users where email = 'bench-admin@example.com') where email = ${agent.email}`.execute(
    db,
  );
  async function session(email: string) {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email, password: "bench-password-123" },
    });
    return { cookie: `steward_session=${res.cookies.find((c) => c.name === "steward_session")?.value}` };
  }
  const asAdmin = await session("bench-admin@example.com");
  const asAgent = await session(agent.email);
  const agentId = (await db.selectFrom("users").select("id").where("email", "=", agent.email).executeTakeFirstOrThrow())
    .id;
  const one = await db
    .selectFrom("tickets")
    .select(["id", "type", "number"])
    .where("state_type", "=", "open")
    .where("group_id", "in", db.selectFrom("group_members").select("group_id").where("user_id", "=", agentId))
    .limit(1)
    .executeTakeFirstOrThrow();

  const scenarios: [string, Record<string, string>, string][] = [
    ["agent: open in my groups", asAgent, "/api/v1/tickets?stateType=new,open,pending&limit=50"],
    ["agent: assigned to me", asAgent, "/api/v1/tickets?assigneeId=me&stateType=new,open,pending&limit=50"],
    ["agent: open, by priority", asAgent, "/api/v1/tickets?stateType=new,open,pending&sort=priority&limit=50"],
    ["agent: open, by SLA due", asAgent, "/api/v1/tickets?stateType=new,open,pending&sort=slaDue&limit=50"],
    [
      "agent: due within 24 h",
      asAgent,
      "/api/v1/tickets?stateType=new,open,pending&slaDueWithinHours=24&sort=slaDue&limit=50",
    ],
    ["agent: open, latest update", asAgent, "/api/v1/tickets?stateType=new,open,pending&sort=-updatedAt&limit=50"],
    ["admin: all, newest first", asAdmin, "/api/v1/tickets?limit=50"],
    ["admin: all, latest update", asAdmin, "/api/v1/tickets?sort=-updatedAt&limit=50"],
    ["admin: P1 open", asAdmin, "/api/v1/tickets?priority=P1&stateType=open&limit=50"],
    ["admin: full text 'vpn'", asAdmin, "/api/v1/tickets?q=vpn&limit=50"],
    ["admin: full text, rare word", asAdmin, "/api/v1/tickets?q=zanzibar&limit=50"],
    ["admin: by number", asAdmin, `/api/v1/tickets?q=INC-${one.number}`],
    ["agent: ticket page", asAgent, `/api/v1/tickets/${one.id}`],
    ["agent: timeline", asAgent, `/api/v1/tickets/${one.id}/articles`],
  ];
  console.log(`\n${"scenario".padEnd(30)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"rows".padStart(6)}`);
  for (const [label, headers, path] of scenarios) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < RUNS + 5; i++) {
      const began = performance.now();
      const res = await app.inject({ method: "GET", url: path, headers });
      const ms = performance.now() - began;
      if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      rows = (res.json().items ?? [res.json()]).length;
      if (i >= 5) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
    console.log(`${label.padEnd(30)} ${p(0.5).padStart(8)} ${p(0.95).padStart(8)} ${String(rows).padStart(6)}`);
  }
  // The plans of the hottest list queries (the SQL listTickets builds for them).
  const agentOpen = sql`(assignee_id = ${agentId}
        or id in (select ticket_id from ticket_watchers where user_id = ${agentId})
        or group_id in (select group_id from group_members where user_id = ${agentId}))
        and state_type in ('new', 'open', 'pending')`;
  const plans: [string, ReturnType<typeof sql>][] = [
    [
      "agent: open in my groups",
      sql`explain (analyze, costs off) select * from tickets where (assignee_id = ${agentId}
        or id in (select ticket_id from ticket_watchers where user_id = ${agentId})
        or group_id in (select group_id from group_members where user_id = ${agentId}))
        and state_type in ('new', 'open', 'pending') order by created_at desc, id desc limit 51`,
    ],
    [
      "agent: open, by priority",
      sql`explain (analyze, costs off) select * from tickets where ${agentOpen}
        order by priority, created_at, id limit 51`,
    ],
    [
      "agent: open, by SLA due",
      sql`explain (analyze, costs off) select * from tickets where ${agentOpen}
        order by coalesce(tickets.sla_due_at, 'infinity'::timestamptz), id limit 51`,
    ],
    [
      "admin: full text",
      sql`explain (analyze, costs off) select * from tickets where ((search || replies_search) @@ websearch_to_tsquery('simple', 'vpn')
        or title ilike '%vpn%'
        or requester_id = any(array(select id from users where (name || ' ' || email) ilike '%vpn%'))
        or organization_id = any(array(select id from organizations where name ilike '%vpn%')))
        order by created_at desc, id desc limit 51`,
    ],
  ];
  for (const [label, query] of plans) {
    const r = await query.execute(db);
    console.log(`\nplan: ${label}`);
    for (const row of r.rows as { "QUERY PLAN": string }[]) console.log(`  ${row["QUERY PLAN"]}`);
  }
  await app.close();
  console.log(`\n(${N} tickets, ${RUNS} runs each after 5 warm-up, in-process HTTP, database ${database.kind})`);
} finally {
  await database.close();
  if (!args.includes("--keep")) await admin.executeSql(`drop database if exists ${name} with (force)`);
  await admin.close();
}
