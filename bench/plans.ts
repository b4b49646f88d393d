/**
 * The query-plan guard: `npm run bench:plans -- --size S|M [--min-rows N] [--sort-rows N] [--verbose]`.
 *
 * Against a seeded target (seeded first when it is empty), it starts the app in-process, signs in as the
 * administrator, an agent with a full work list and a customer, and issues the list, filter, sort and search
 * requests of every GET route in the route table. Every SELECT those requests run (recorded through
 * openDatabase's `onQuery` hook) is explained with `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` and its
 * parameters, and the plan is walked. A statement fails on:
 *
 * - seq-scan:  a Seq Scan of a table with more than --min-rows rows (pg_class.reltuples);
 * - sort:      a Sort whose input reads such a table and that sorts more than --sort-rows rows (default a tenth
 *              of --min-rows): an order no index serves, on a share of the table that grows with it;
 * - like:      a LIKE/ILIKE with a leading wildcard on such a table that no trigram index serves.
 *
 * Two kinds of seq-scan finding are excluded, with their reasons, and listed as excluded: a single pass that
 * returns at least a fifth of the table (the statement needs that share of it), and a scan whose filter is a
 * key list of at least 1% of --min-rows keys (FINDING_EXCLUSIONS). Any other exclusion goes there too, with
 * its reason.
 *
 * A GET route that no request covers and no exclusion names, a query parameter of a list route that no
 * request uses, and a request that does not answer 200 fail too. The table goes to stdout, the details to
 * bench/results/plans-<size>-<time>.json; the exit code is 1 on any failure. The table lists every request
 * and, under it, each failing statement with the offending plan node (--verbose: every statement).
 *
 * CI runs it at size S with the threshold scaled like the data: `--size S --min-rows 10000`.
 */
import fs from "node:fs";
import path from "node:path";
import { CompiledQuery, sql } from "kysely";
import pino from "pino";
import { TICKET_SORTS } from "../common/tickets.ts";
import type { AnyRoute } from "../server/http/route.ts";
import { encodeCursor } from "../server/platform/pagination.ts";
import { createDeps, createHttpApp } from "../server/runtime.ts";
import { type DatasetMarker, datasetOf, parseSize, type Size } from "./lib/dataset.ts";
import { formatDuration } from "./lib/progress.ts";
import { appConfig, openTarget, type Target, TargetError } from "./lib/target.ts";
import { SeedRefused, seedDataset } from "./seed.ts";

type Who = "admin" | "agent" | "customer";

/** One request the guard issues. `route` is the route table's "METHOD /url/:pattern". */
interface Probe {
  route: string;
  label: string;
  as: Who;
  path: string;
  method?: "GET" | "POST";
  body?: unknown;
  /** Also fetch the next page (the keyset cursor of the first answer). */
  page2?: boolean;
}

/** GET routes the guard does not request, each with the reason. */
const ROUTE_EXCLUSIONS: Record<string, string> = {
  "GET /api/v1/attachments/:id":
    "reads one attachment and its blob by primary key; the dataset has no attachments (the ticket's attachment list is covered)",
  "GET /api/v1/attachments/:id/inline": "the same reads as GET /api/v1/attachments/:id, for inline images of e-mail",
  "GET /api/v1/mailboxes/:id": "one mailbox by primary key; the dataset has no mailboxes",
  "GET /api/v1/mail/quarantine/:id/raw": "one quarantined message and its blob by primary key; the dataset has none",
  "GET /api/v1/tickets/:id/articles/:articleId/source":
    "one article and its stored source by primary key; the dataset has no e-mail articles",
  "GET /api/v1/me/notifications/stream":
    "an event stream that stays open; its one statement is the unread count, covered by GET /api/v1/me/notifications/unread",
};

/** Query parameters of covered list routes that no request uses, each with the reason. */
const PARAM_EXCLUSIONS: Record<string, string> = {};

/** Plan findings that are fine, each with the reason. They are listed as excluded, never silently dropped. */
interface FindingExclusion {
  rule: Finding["rule"];
  /** Only on this table (any when left out). */
  relation?: string;
  /** Only in requests of this route ("GET /api/v1/…"; any when left out). */
  route?: string;
  /** Further condition on the statement. */
  when?: (statement: { sql: string; params: unknown[] }, finding: Finding, limits: { minRows: number }) => boolean;
  reason: string;
}

/** Keys a statement looks up at once: its scalar parameters plus the elements of its array parameters. */
const keyCount = (params: readonly unknown[]) =>
  params.reduce<number>((n, p) => n + (Array.isArray(p) ? p.length : 1), 0);

const FINDING_EXCLUSIONS: FindingExclusion[] = [
  {
    rule: "sort",
    relation: "ci_relations",
    route: "GET /api/v1/cmdb/cis/:id/graph",
    reason:
      "the relations among the at most 300 nodes of a neighbourhood, sorted in memory: a hub's neighbourhood has a few " +
      "thousand at any dataset size (the hub does not shrink with S, so only the scaled-down threshold meets it)",
  },
  {
    rule: "seq-scan",
    // The scan's filter is the key list itself (column = ANY (…)), not a search or other condition.
    when: (s, f, limits) =>
      keyCount(s.params) >= Math.max(100, limits.minRows / 100) && /= ANY \(/.test(f.detail) && !/@@|~~/.test(f.detail),
    reason:
      "the scan filters by a key list (column = ANY) of at least 1% of --min-rows keys (the impact walk's frontier, the CIs an " +
      "answer reached): one pass over the table costs less than that many index probes, and the key indexes exist " +
      "for short lists",
  },
];

const BIG_SCANS = new Set([
  "Seq Scan",
  "Index Scan",
  "Index Only Scan",
  "Bitmap Heap Scan",
  "Tid Scan",
  "Tid Range Scan",
]);
const LEADING_WILDCARD = /~~\*?\s+'%/;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Alias?: string;
  Filter?: string;
  "Join Filter"?: string;
  "Recheck Cond"?: string;
  "Index Cond"?: string;
  "Sort Key"?: string[];
  "Sort Method"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Parallel Aware"?: boolean;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

interface Finding {
  rule: "seq-scan" | "sort" | "like";
  relation: string;
  node: string;
  detail: string;
  /** Set when a rule-level exclusion applies (see SEQ_SCAN_SHARE). */
  excusedBy?: string;
}

/** A seq scan that returns at least this share of its table, in one pass, reads what the statement needs. */
const SEQ_SCAN_SHARE = 0.2;

interface StatementResult {
  sql: string;
  params: unknown[];
  findings: Finding[];
  excluded: { finding: Finding; reason: string }[];
  executionMs: number | null;
  /** Planner settings the request gave this statement (`set local`), applied when it was explained. */
  settings?: Record<string, string>;
  /** Kept for failing statements. */
  plan?: unknown;
  error?: string;
}

interface RequestResult {
  label: string;
  route: string;
  as: Who;
  method: string;
  path: string;
  status: number;
  ms: number;
  error?: string;
  statements: number[];
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

async function main(): Promise<number> {
  let size: Size;
  try {
    size = parseSize(args, "S");
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const minRows = Number(flag("min-rows") ?? "100000");
  const sortRows = Number(flag("sort-rows") ?? String(Math.floor(minRows / 10)));
  if (!Number.isFinite(minRows) || minRows < 0 || !Number.isFinite(sortRows) || sortRows < 0) {
    console.error("--min-rows and --sort-rows take a number of rows");
    return 2;
  }

  let recording: { sql: string; params: unknown[] }[] | null = null;
  let target: Target;
  try {
    target = await openTarget(size, {
      poolSize: 4,
      onQuery: (text, params) => {
        recording?.push({ sql: text, params: [...params] });
      },
    });
  } catch (e) {
    if (e instanceof TargetError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  const db = target.database.db;
  try {
    let marker = await datasetOf(db);
    if (!marker) {
      console.log(`${target.label} holds no benchmark dataset: seeding size ${size} first`);
      try {
        marker = (await seedDataset(target, size)).marker;
      } catch (e) {
        if (e instanceof SeedRefused) {
          console.error(`${target.label}: ${e.message}`);
          return 1;
        }
        throw e;
      }
    } else if (marker.size !== size) {
      console.error(`${target.label} holds the ${marker.size} dataset, not ${size}; use --size ${marker.size}`);
      return 1;
    }
    return await guard(
      target,
      marker,
      size,
      { minRows, sortRows },
      {
        start: () => {
          recording = [];
        },
        stop: () => {
          const r = recording ?? [];
          recording = null;
          return r;
        },
      },
    );
  } finally {
    await target.database.close();
  }
}

interface Recorder {
  start(): void;
  stop(): { sql: string; params: unknown[] }[];
}

async function guard(
  target: Target,
  marker: DatasetMarker,
  size: Size,
  limits: { minRows: number; sortRows: number },
  rec: Recorder,
): Promise<number> {
  const { minRows } = limits;
  const db = target.database.db;
  const began = performance.now();
  const relRows = new Map(
    (
      await sql<{ name: string; rows: number }>`select relname as name, reltuples::float8 as rows from pg_class
        where relnamespace = 'public'::regnamespace and relkind in ('r', 'p', 'm')`.execute(db)
    ).rows.map((r) => [r.name, Number(r.rows)]),
  );
  const trigramIndexes = new Set(
    (
      await sql<{ name: string }>`select indexname as name from pg_indexes
        where schemaname = 'public' and indexdef like '%gin_trgm_ops%'`.execute(db)
    ).rows.map((r) => r.name),
  );
  const big = (relation: string | undefined) => relation !== undefined && (relRows.get(relation) ?? 0) > minRows;
  const bigTables = [...relRows].filter(([, n]) => n > minRows).sort((a, b) => b[1] - a[1]);

  const deps = createDeps(appConfig(target), target.database, pino({ level: "silent" }));
  const app = await createHttpApp(deps, { logger: false, web: false });
  try {
    const sessions = new Map<Who, { cookie: string; csrf: string }>();
    for (const [who, email, password] of [
      ["admin", marker.admin.email, marker.admin.password],
      ["agent", marker.refs.busyAgentEmail, marker.agentPassword],
      ["customer", marker.refs.customerEmail, marker.agentPassword],
    ] as [Who, string, string][]) {
      const res = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in as ${who} (${email}) failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === "steward_session")?.value;
      sessions.set(who, { cookie: `steward_session=${cookie}`, csrf: String(res.json().user?.csrfToken ?? "") });
    }
    const headers = (who: Who, write: boolean, body: boolean) => {
      const s = sessions.get(who);
      if (!s) throw new Error(`no session for ${who}`);
      return {
        cookie: s.cookie,
        ...(write ? { "x-csrf-token": s.csrf } : {}),
        ...(body ? { "content-type": "application/json" } : {}),
      };
    };

    // A calendar feed address for the agent (the iCalendar route's credential).
    const feed = await app.inject({
      method: "POST",
      url: "/api/v1/me/calendar-feed",
      headers: headers("agent", true, false),
    });
    if (feed.statusCode !== 201) throw new Error(`calendar feed: ${feed.statusCode} ${feed.body}`);
    const feedPath = new URL(String(feed.json().url)).pathname + new URL(String(feed.json().url)).search;

    const probes = await buildProbes(target, marker, feedPath);
    const routes = (app as unknown as { stewardRoutes: readonly AnyRoute[] }).stewardRoutes;
    const coverage = checkCoverage(routes, probes);

    // Issue the requests, recording the statements each runs.
    const requests: RequestResult[] = [];
    const statements: StatementResult[] = [];
    const byKey = new Map<string, number>();
    const explainOne = async (text: string, params: unknown[], settings: [string, string][]): Promise<number> => {
      const key = `${text}\u0000${JSON.stringify(params)}\u0000${JSON.stringify(settings)}`;
      const known = byKey.get(key);
      if (known !== undefined) return known;
      const result: StatementResult = {
        sql: text,
        params,
        findings: [],
        excluded: [],
        executionMs: null,
        ...(settings.length ? { settings: Object.fromEntries(settings) } : {}),
      };
      try {
        const plan = await explain(target, text, params, settings);
        result.executionMs = plan.executionMs;
        const findings = walkPlan(
          plan.root,
          { big, rows: (r) => relRows.get(r) ?? 0, sortRows: limits.sortRows },
          trigramIndexes,
        );
        result.findings = findings;
        if (findings.length) result.plan = plan.raw;
      } catch (e) {
        result.error = (e as Error).message;
      }
      statements.push(result);
      byKey.set(key, statements.length - 1);
      return statements.length - 1;
    };

    for (const probe of probes) {
      const pages = [probe.path];
      for (let page = 0; page < pages.length; page++) {
        const url = pages[page] as string;
        const method = probe.method ?? "GET";
        rec.start();
        const t0 = performance.now();
        const res = await app.inject({
          method,
          url,
          headers: headers(probe.as, method !== "GET", probe.body !== undefined),
          ...(probe.body !== undefined ? { payload: JSON.stringify(probe.body) } : {}),
        });
        const ms = performance.now() - t0;
        const captured = rec.stop();
        const label = page === 0 ? probe.label : `${probe.label} (page 2)`;
        const r: RequestResult = {
          label,
          route: probe.route,
          as: probe.as,
          method,
          path: url,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          statements: [],
        };
        if (res.statusCode !== 200) r.error = res.body.slice(0, 500);
        // Planner settings the request set for its next statements (`set local …`) apply to their plans too.
        const settings = new Map<string, string>();
        for (const q of captured) {
          const set = /^\s*set\s+local\s+(\w+)\s*(?:=|to)\s*(\w+)\s*$/i.exec(q.sql);
          if (set) {
            settings.set((set[1] as string).toLowerCase(), (set[2] as string).toLowerCase());
            continue;
          }
          if (!isSelect(q.sql)) continue;
          const active = [...settings].filter(([k, v]) => !(k === "enable_seqscan" && v === "on"));
          r.statements.push(await explainOne(q.sql, q.params, active));
        }
        requests.push(r);
        if (probe.page2 && page === 0 && res.statusCode === 200) {
          const next = res.json().nextCursor as string | null | undefined;
          if (next) {
            const u = new URL(url, "http://bench");
            u.searchParams.set("cursor", next);
            pages.push(u.pathname + u.search);
          } else {
            r.error = "page 2 was asked for, but the first page has no nextCursor (too few rows for this limit)";
          }
        }
      }
    }

    // Findings named in FINDING_EXCLUSIONS are reported as excluded, not failed.
    for (const [i, s] of statements.entries()) {
      const routesOf = new Set(requests.filter((r) => r.statements.includes(i)).map((r) => r.route));
      const kept: Finding[] = [];
      for (const f of s.findings) {
        if (f.excusedBy) {
          s.excluded.push({ finding: f, reason: f.excusedBy });
          continue;
        }
        const reason = FINDING_EXCLUSIONS.find(
          (x) =>
            x.rule === f.rule &&
            (x.relation === undefined || x.relation === f.relation) &&
            (x.route === undefined || routesOf.has(x.route)) &&
            (x.when === undefined || x.when(s, f, limits)),
        )?.reason;
        if (reason) s.excluded.push({ finding: f, reason });
        else kept.push(f);
      }
      s.findings = kept;
      if (kept.length === 0 && !s.error) delete s.plan;
    }

    return report({
      target,
      marker,
      size,
      minRows,
      sortRows: limits.sortRows,
      bigTables,
      requests,
      statements,
      coverage,
      seconds: (performance.now() - began) / 1000,
    });
  } finally {
    await app.close();
  }
}

/** SELECT statements (and WITH … SELECT without data-modifying parts) are explained; writes are not. */
function isSelect(text: string): boolean {
  const t = text.trimStart().toLowerCase();
  if (t.startsWith("select")) return true;
  if (t.startsWith("with")) return !/\b(insert\s+into|update\s+"?\w+"?\s+set|delete\s+from)\b/.test(t);
  return false;
}

async function explain(
  target: Target,
  text: string,
  params: unknown[],
  settings: readonly [string, string][],
): Promise<{ root: PlanNode; raw: unknown; executionMs: number }> {
  const rollback = new Error("rollback");
  let out: { root: PlanNode; raw: unknown; executionMs: number } | undefined;
  try {
    await target.database.db.transaction().execute(async (tx) => {
      for (const [name, value] of settings) {
        if (!/^\w+$/.test(name) || !/^\w+$/.test(value)) throw new Error(`unexpected setting ${name} = ${value}`);
        await tx.executeQuery(CompiledQuery.raw(`set local ${name} = ${value}`, []));
      }
      const r = await tx.executeQuery(CompiledQuery.raw(`explain (analyze, buffers, format json) ${text}`, params));
      const row = r.rows[0] as Record<string, unknown> | undefined;
      const cell = row ? Object.values(row)[0] : undefined;
      const doc = (typeof cell === "string" ? JSON.parse(cell) : cell) as {
        Plan: PlanNode;
        "Execution Time": number;
      }[];
      const first = doc?.[0];
      if (!first) throw new Error("EXPLAIN returned no plan");
      out = { root: first.Plan, raw: doc, executionMs: first["Execution Time"] };
      throw rollback;
    });
  } catch (e) {
    if (e !== rollback) throw e;
  }
  if (!out) throw new Error("EXPLAIN returned no plan");
  return out;
}

function describe(node: PlanNode): string {
  const on = node["Relation Name"] ? ` on ${node["Relation Name"]}` : "";
  const using = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
  const rows =
    node["Actual Rows"] !== undefined ? ` (rows=${node["Actual Rows"]} loops=${node["Actual Loops"] ?? 1})` : "";
  return `${node["Node Type"]}${using}${on}${rows}`;
}

function scansBelow(node: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const visit = (n: PlanNode) => {
    if (BIG_SCANS.has(n["Node Type"])) out.push(n);
    for (const c of n.Plans ?? []) visit(c);
  };
  for (const c of node.Plans ?? []) visit(c);
  return out;
}

function bitmapIndexesBelow(node: PlanNode): string[] {
  const out: string[] = [];
  const visit = (n: PlanNode) => {
    if (n["Node Type"] === "Bitmap Index Scan" && n["Index Name"]) out.push(n["Index Name"]);
    for (const c of n.Plans ?? []) visit(c);
  };
  for (const c of node.Plans ?? []) visit(c);
  return out;
}

/** The three rules, on every node of the plan. */
function walkPlan(
  root: PlanNode,
  t: { big: (relation: string | undefined) => boolean; rows: (relation: string) => number; sortRows: number },
  trigram: ReadonlySet<string>,
): Finding[] {
  const { big } = t;
  const findings: Finding[] = [];
  const visit = (n: PlanNode) => {
    const type = n["Node Type"];
    const rel = n["Relation Name"];
    if (type === "Seq Scan" && big(rel)) {
      // A parallel scan is one pass split over its workers (loops); any other repeated scan is a pass per loop.
      const parallel = n["Parallel Aware"] === true;
      const loops = parallel ? 1 : (n["Actual Loops"] ?? 1);
      const returned = (n["Actual Rows"] ?? 0) * (parallel ? (n["Actual Loops"] ?? 1) : 1);
      const share = returned / Math.max(1, t.rows(rel as string));
      const finding: Finding = {
        rule: "seq-scan",
        relation: rel as string,
        node: describe(n),
        detail: `${n.Filter ? `Filter: ${n.Filter}` : "no filter"}; returns ${(share * 100).toFixed(1)}% of the table per pass`,
      };
      if (loops <= 1 && share >= SEQ_SCAN_SHARE) {
        finding.excusedBy = `a single pass returning at least ${SEQ_SCAN_SHARE * 100}% of the table: the statement needs that share of it`;
      }
      findings.push(finding);
    }
    if (type === "Sort") {
      const input = (n.Plans ?? []).reduce((sum, c) => sum + (c["Actual Rows"] ?? 0) * (c["Actual Loops"] ?? 1), 0);
      const hit = scansBelow(n).find((s) => big(s["Relation Name"]));
      if (hit && input > t.sortRows) {
        const finding: Finding = {
          rule: "sort",
          relation: hit["Relation Name"] as string,
          node: describe(n),
          detail: `sorts ${input} rows by ${(n["Sort Key"] ?? []).join(", ")}; input: ${describe(hit)}`,
        };
        // A top-N sort (it keeps one page) over a single pass that reads at least SEQ_SCAN_SHARE of the table:
        // the rows it sorts are a large share of the table, as for the seq-scan rule's excuse.
        const parallel = hit["Parallel Aware"] === true;
        const scanned = (hit["Actual Rows"] ?? 0) * (parallel ? (hit["Actual Loops"] ?? 1) : 1);
        const share = scanned / Math.max(1, t.rows(hit["Relation Name"] as string));
        if (n["Sort Method"] === "top-N heapsort" && hit["Node Type"] === "Seq Scan" && share >= SEQ_SCAN_SHARE) {
          finding.excusedBy = `a top-N sort over a single pass returning at least ${SEQ_SCAN_SHARE * 100}% of the table`;
        }
        findings.push(finding);
      }
    }
    if (BIG_SCANS.has(type) && big(rel)) {
      for (const field of ["Filter", "Join Filter"] as const) {
        const cond = n[field];
        if (cond && LEADING_WILDCARD.test(cond)) {
          const finding: Finding = {
            rule: "like",
            relation: rel as string,
            node: describe(n),
            detail: `${field}: ${cond}`,
          };
          // A search with many matches walks the sort's index and checks each row: fine while it meets its page
          // within few rows (a rare one is looked up through the indexes first and never gets here).
          const passed = (n["Rows Removed by Filter"] ?? Number.POSITIVE_INFINITY) * (n["Actual Loops"] ?? 1);
          if (type === "Index Scan" && field === "Filter" && passed <= t.sortRows) {
            finding.excusedBy = `an index scan in the sort's order that passed over ${passed} rows (at most --sort-rows) to fill its page`;
          }
          findings.push(finding);
        }
      }
      const recheck = n["Recheck Cond"];
      if (recheck && LEADING_WILDCARD.test(recheck) && !bitmapIndexesBelow(n).some((i) => trigram.has(i))) {
        findings.push({
          rule: "like",
          relation: rel as string,
          node: describe(n),
          detail: `Recheck Cond: ${recheck}; no trigram index below (${bitmapIndexesBelow(n).join(", ") || "none"})`,
        });
      }
    }
    for (const c of n.Plans ?? []) visit(c);
  };
  visit(root);
  return findings;
}

// ---------------------------------------------------------------------------------------------------------
// Coverage: every GET route requested (or excluded with a reason), every list parameter used

interface Coverage {
  uncoveredRoutes: string[];
  unknownProbeRoutes: string[];
  unusedParams: { route: string; param: string }[];
  excludedRoutes: { route: string; reason: string }[];
  excludedParams: { route: string; param: string; reason: string }[];
}

function queryKeys(route: AnyRoute): string[] {
  const shape = (route.query as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

function checkCoverage(routes: readonly AnyRoute[], probes: readonly Probe[]): Coverage {
  const byRoute = new Map<string, Probe[]>();
  for (const p of probes) byRoute.set(p.route, [...(byRoute.get(p.route) ?? []), p]);
  const known = new Set(routes.map((r) => `${r.method} ${r.url}`));
  const c: Coverage = {
    uncoveredRoutes: [],
    unknownProbeRoutes: [],
    unusedParams: [],
    excludedRoutes: [],
    excludedParams: [],
  };
  for (const route of routes) {
    if (route.method !== "GET") continue;
    const key = `${route.method} ${route.url}`;
    const mine = byRoute.get(key) ?? [];
    if (mine.length === 0) {
      const reason = ROUTE_EXCLUSIONS[key];
      if (reason) c.excludedRoutes.push({ route: key, reason });
      else c.uncoveredRoutes.push(key);
      continue;
    }
    const used = new Set<string>();
    for (const p of mine) {
      for (const k of new URL(p.path, "http://bench").searchParams.keys()) used.add(k);
      if (p.page2) used.add("cursor");
    }
    for (const param of queryKeys(route)) {
      if (used.has(param)) continue;
      const reason = PARAM_EXCLUSIONS[`${key} ${param}`];
      if (reason) c.excludedParams.push({ route: key, param, reason });
      else c.unusedParams.push({ route: key, param });
    }
  }
  for (const p of probes) if (!known.has(p.route)) c.unknownProbeRoutes.push(p.route);
  for (const key of Object.keys(ROUTE_EXCLUSIONS)) if (!known.has(key)) c.unknownProbeRoutes.push(key);
  c.unknownProbeRoutes = [...new Set(c.unknownProbeRoutes)];
  return c;
}

// ---------------------------------------------------------------------------------------------------------
// The requests

async function buildProbes(target: Target, marker: DatasetMarker, feedPath: string): Promise<Probe[]> {
  const db = target.database.db;
  const one = async (q: ReturnType<typeof sql>, what: string): Promise<Record<string, unknown>> => {
    const r = await q.execute(db);
    const row = r.rows[0] as Record<string, unknown> | undefined;
    if (!row) throw new Error(`the dataset has no ${what}`);
    return row;
  };
  const id = async (q: ReturnType<typeof sql>, what: string) => String((await one(q, what)).id);
  const refs = marker.refs;
  const busyGroup = await id(
    sql`select g.id from group_members m join groups g on g.id = m.group_id where m.user_id = ${refs.busyAgentId}::uuid
      and lower(g.name) <> 'service desk' order by g.name limit 1`,
    "group of the busy agent",
  );
  const otherAgent = await id(
    sql`select id from users where kind = 'agent' and not admin and id <> ${refs.busyAgentId}::uuid order by email limit 1`,
    "second agent",
  );
  const customer = await id(sql`select id from users where email = ${refs.customerEmail}`, "customer");
  const category = await id(
    sql`select category_id as id from tickets where category_id is not null group by 1 order by count(*) desc limit 1`,
    "ticket category",
  );
  const problem = await id(
    sql`select problem_id as id from tickets where problem_id is not null group by 1 order by count(*) desc limit 1`,
    "problem with incidents",
  );
  const linked = await id(sql`select source_id as id from ticket_links order by source_id limit 1`, "ticket link");
  const withCis = await id(
    sql`select ticket_id as id from ticket_cis group by 1 order by count(*) desc, 1 limit 1`,
    "ticket with CIs",
  );
  const incident = (await one(
    sql`select number from tickets where type = 'incident' and state_type = 'closed' order by number limit 1 offset 100`,
    "closed incident",
  )) as { number: number };
  const serverClass = await id(sql`select id from ci_classes where code = 'server'`, "server class");
  const server = (await one(
    sql`select c.id, c.name, c.number, c.attributes ->> 'hostname' as hostname from cis c
      where c.class_id = ${serverClass}::uuid and c.attributes ? 'hostname' order by c.number limit 1 offset 7`,
    "server",
  )) as { id: string; name: string; number: number; hostname: string };
  const ciOrg = await id(
    sql`select organization_id as id from cis where organization_id is not null group by 1 order by count(*) desc limit 1`,
    "CI organization",
  );
  const retired = await id(
    sql`select id from catalog_items where list = 'deployment_state' and name = 'Retired'`,
    "Retired deployment state",
  );
  const someCis = (
    await sql<{ id: string }>`select id from cis order by number limit 5 offset 20`.execute(db)
  ).rows.map((r) => r.id);
  const calendar = await id(sql`select id from calendars order by name limit 1`, "calendar");
  const policy = await id(sql`select id from sla_policies order by position limit 1`, "SLA policy");
  const template = await id(sql`select id from change_templates order by name limit 1`, "change template");
  const changeCategory = await id(
    sql`select category_id as id from changes where category_id is not null group by 1 order by count(*) desc limit 1`,
    "change category",
  );
  const changeTicket = await id(
    sql`select ticket_id as id from change_tickets order by ticket_id limit 1`,
    "change ticket",
  );
  const changeGroup = await id(
    sql`select group_id as id from changes where group_id is not null group by 1 order by count(*) desc limit 1`,
    "change group",
  );
  const hub = (await one(sql`select number from cis where id = ${refs.hubCiId}::uuid`, "hub")) as { number: number };
  // A word that occurs in one ticket only: the reference in its description.
  const rare = (await one(
    sql`select substring(description_text from 'reference ([0-9A-F]+)') as word from tickets
      where type = 'incident' order by number limit 1 offset 1000`,
    "ticket reference",
  )) as { word: string };

  const now = Date.now();
  const iso = (days: number) => new Date(now + days * 86_400_000).toISOString();
  const enc = encodeURIComponent;
  const open = "stateType=new,open,pending";
  const p: Probe[] = [];
  const add = (route: string, label: string, as: Who, pathname: string, extra: Partial<Probe> = {}) =>
    p.push({ route: `${extra.method ?? "GET"} ${route}`, label, as, path: pathname, ...extra });

  // ---- identity ----
  // A cursor as the list routes make them (the dataset has no mail or notifications to page through).
  const cursorAt = enc(encodeCursor([new Date(now).toISOString(), "ffffffff-ffff-ffff-ffff-ffffffffffff"]));
  add("/api/v1/me", "me", "agent", "/api/v1/me");
  add("/api/v1/me/tokens", "my API tokens", "agent", "/api/v1/me/tokens");
  add("/api/v1/users", "users", "admin", "/api/v1/users?limit=50", { page2: true });
  add("/api/v1/users", "users: search name", "agent", "/api/v1/users?q=nora");
  add("/api/v1/users", "users: search e-mail domain", "admin", "/api/v1/users?q=contoso-group");
  add("/api/v1/users", "users: agents", "admin", "/api/v1/users?kind=agent");
  add("/api/v1/users", "users: customers", "admin", "/api/v1/users?kind=customer");
  add(
    "/api/v1/users",
    "users: largest organization",
    "agent",
    `/api/v1/users?organizationId=${refs.largestOrganizationId}`,
  );
  add("/api/v1/users", "users: inactive", "admin", "/api/v1/users?active=false");
  add("/api/v1/users/:id", "user", "agent", `/api/v1/users/${refs.busyAgentId}`);
  add("/api/v1/organizations", "organizations", "admin", "/api/v1/organizations?limit=20", { page2: true });
  add("/api/v1/organizations", "organizations: search", "agent", "/api/v1/organizations?q=logist");
  add("/api/v1/organizations", "organizations: active", "admin", "/api/v1/organizations?active=true");
  add("/api/v1/organizations/:id", "organization", "agent", `/api/v1/organizations/${refs.largestOrganizationId}`);
  add("/api/v1/groups", "groups", "admin", "/api/v1/groups?limit=2", { page2: true });
  add("/api/v1/groups", "groups: search", "agent", "/api/v1/groups?q=team");
  add("/api/v1/groups", "groups: active", "admin", "/api/v1/groups?active=true");
  add("/api/v1/groups/:id", "group", "agent", `/api/v1/groups/${busyGroup}`);
  add("/api/v1/roles", "roles", "admin", "/api/v1/roles");

  // ---- e-mail and notifications ----
  add("/api/v1/mailboxes", "mailboxes", "admin", "/api/v1/mailboxes?limit=50");
  add(
    "/api/v1/mailboxes",
    "mailboxes: page 2",
    "admin",
    `/api/v1/mailboxes?limit=50&cursor=${enc(encodeCursor(["Desk", "ffffffff-ffff-ffff-ffff-ffffffffffff"]))}`,
  );
  add("/api/v1/mail/quarantine", "quarantine: held", "admin", "/api/v1/mail/quarantine?state=held&limit=50");
  add("/api/v1/mail/quarantine", "quarantine: page 2", "admin", `/api/v1/mail/quarantine?limit=50&cursor=${cursorAt}`);
  add("/api/v1/mail/outbound", "outgoing mail", "admin", "/api/v1/mail/outbound?limit=50");
  add("/api/v1/mail/outbound", "outgoing mail: failed", "admin", "/api/v1/mail/outbound?state=failed&limit=50");
  add("/api/v1/mail/outbound", "outgoing mail: page 2", "admin", `/api/v1/mail/outbound?limit=50&cursor=${cursorAt}`);
  add("/api/v1/settings/smtp", "mail server settings", "admin", "/api/v1/settings/smtp");
  add("/api/v1/notification-rules", "my notification rules", "agent", "/api/v1/notification-rules");
  add("/api/v1/me/notifications", "my notifications", "agent", "/api/v1/me/notifications?limit=50");
  add("/api/v1/me/notifications", "my notifications: unread", "agent", "/api/v1/me/notifications?unread=true&limit=50");
  add(
    "/api/v1/me/notifications",
    "my notifications: page 2",
    "agent",
    `/api/v1/me/notifications?limit=50&cursor=${cursorAt}`,
  );
  add("/api/v1/me/notifications/unread", "my unread count", "agent", "/api/v1/me/notifications/unread");
  add("/api/v1/notification-templates", "notification templates", "admin", "/api/v1/notification-templates");
  add("/api/v1/audit", "audit trail", "admin", "/api/v1/audit?limit=50", { page2: true });
  add("/api/v1/audit", "audit: tickets", "admin", "/api/v1/audit?entityType=ticket");
  add("/api/v1/audit", "audit: one ticket", "admin", `/api/v1/audit?entityType=ticket&entityId=${refs.bigTicketId}`);
  add("/api/v1/audit", "audit: entity id only", "admin", `/api/v1/audit?entityId=${refs.hubCiId}`);
  add("/api/v1/audit", "audit: by actor", "admin", `/api/v1/audit?actorId=${refs.busyAgentId}`);

  // ---- tickets ----
  const T = "/api/v1/tickets";
  add(T, "tickets: agent default", "agent", `${T}?limit=50`, { page2: true });
  add(T, "tickets: admin default", "admin", `${T}?limit=50`, { page2: true });
  add(T, "tickets: customer portal", "customer", `${T}?limit=20`, { page2: true });
  for (const sort of TICKET_SORTS) {
    add(T, `tickets: agent open, sort ${sort}`, "agent", `${T}?${open}&sort=${enc(sort)}&limit=50`, { page2: true });
    add(T, `tickets: admin all, sort ${sort}`, "admin", `${T}?sort=${enc(sort)}&limit=50`, { page2: true });
  }
  add(T, "tickets: type problem", "admin", `${T}?type=problem`);
  add(T, "tickets: state on hold", "agent", `${T}?state=on_hold`);
  add(T, "tickets: pending", "admin", `${T}?stateType=pending`);
  add(T, "tickets: P1 open", "agent", `${T}?priority=P1&${open}`);
  add(T, "tickets: P1 all", "admin", `${T}?priority=P1`);
  add(T, "tickets: impact 1", "admin", `${T}?impact=1`);
  add(T, "tickets: urgency 1", "admin", `${T}?urgency=1`);
  add(T, "tickets: my group open", "agent", `${T}?groupId=${busyGroup}&${open}`);
  add(T, "tickets: group all", "admin", `${T}?groupId=${busyGroup}`);
  add(T, "tickets: assigned to me", "agent", `${T}?assigneeId=me&${open}`);
  add(T, "tickets: unassigned open", "agent", `${T}?assigneeId=none&stateType=new,open`);
  add(T, "tickets: by assignee", "admin", `${T}?assigneeId=${otherAgent}`);
  add(T, "tickets: by requester", "admin", `${T}?requesterId=${customer}`);
  add(T, "tickets: my requests", "customer", `${T}?requesterId=me`);
  add(T, "tickets: I watch", "agent", `${T}?watcherId=me`);
  add(T, "tickets: watched by", "admin", `${T}?watcherId=${refs.busyAgentId}`);
  add(T, "tickets: organization", "admin", `${T}?organizationId=${refs.largestOrganizationId}`);
  add(T, "tickets: category", "admin", `${T}?categoryId=${category}`);
  add(T, "tickets: incidents of a problem", "agent", `${T}?problemId=${problem}`);
  add(T, "tickets: tag", "admin", `${T}?tag=vpn`);
  add(T, "tickets: custom field text", "admin", `${T}?customField=${enc("environment=production")}`);
  add(T, "tickets: custom field number", "admin", `${T}?customField=${enc("affected_users=12")}`);
  add(T, "tickets: full text", "admin", `${T}?q=vpn`);
  add(T, "tickets: full text, agent", "agent", `${T}?q=vpn`);
  add(T, "tickets: full text two words", "admin", `${T}?q=${enc("printer slow")}`);
  add(T, "tickets: full text rare word", "admin", `${T}?q=screenshot`);
  add(T, "tickets: full text unique word", "admin", `${T}?q=${enc(rare.word)}`);
  add(T, "tickets: part of a word", "admin", `${T}?q=shar`);
  add(T, "tickets: organization name", "admin", `${T}?q=contoso`);
  add(T, "tickets: by number", "agent", `${T}?q=INC-${incident.number}`);
  add(T, "tickets: created last week", "admin", `${T}?createdFrom=${iso(-7)}&createdTo=${iso(0)}`);
  add(T, "tickets: updated last day", "agent", `${T}?updatedFrom=${iso(-1)}&updatedTo=${iso(0)}`);
  add(T, "tickets: resolved last month", "admin", `${T}?resolvedFrom=${iso(-30)}&resolvedTo=${iso(0)}`);
  add(T, "tickets: closed a year ago", "admin", `${T}?closedFrom=${iso(-400)}&closedTo=${iso(-365)}`);
  add(T, "tickets: SLA due in 24 h", "agent", `${T}?${open}&slaDueWithinHours=24&sort=slaDue`);
  add(T, "tickets: SLA running", "admin", `${T}?sla=running`);
  add(T, "tickets: SLA at risk", "agent", `${T}?sla=at_risk`);
  add(T, "tickets: SLA breached open", "agent", `${T}?sla=breached&${open}`);
  add(T, "tickets: SLA breached all", "admin", `${T}?sla=breached`);
  add("/api/v1/tickets/:id", "ticket page", "agent", `${T}/${refs.bigTicketId}`);
  add("/api/v1/tickets/:id/articles", "timeline of the long ticket", "agent", `${T}/${refs.bigTicketId}/articles`);
  add("/api/v1/tickets/:id/links", "ticket links", "admin", `${T}/${linked}/links`);
  add("/api/v1/tickets/:id/sla", "ticket SLA", "agent", `${T}/${refs.openTicketId}/sla`);
  add("/api/v1/tickets/:id/attachments", "ticket attachments", "agent", `${T}/${refs.bigTicketId}/attachments`);
  add("/api/v1/tickets/:id/cis", "ticket CIs", "admin", `${T}/${withCis}/cis`);
  add("/api/v1/views", "saved views with counts", "agent", "/api/v1/views");
  add("/api/v1/views", "saved views, admin", "admin", "/api/v1/views");
  add("/api/v1/custom-fields", "custom fields", "agent", "/api/v1/custom-fields");
  add("/api/v1/custom-fields", "custom fields of incidents", "agent", "/api/v1/custom-fields?ticketType=incident");
  add("/api/v1/priority-matrix", "priority matrix", "agent", "/api/v1/priority-matrix");
  add("/api/v1/categories", "categories", "agent", "/api/v1/categories");

  // ---- SLA ----
  add("/api/v1/calendars", "calendars", "agent", "/api/v1/calendars?limit=1", { page2: true });
  add("/api/v1/calendars", "calendars: search", "agent", "/api/v1/calendars?q=office");
  add("/api/v1/calendars/:id", "calendar", "agent", `/api/v1/calendars/${calendar}`);
  add("/api/v1/sla-policies", "SLA policies", "agent", "/api/v1/sla-policies?limit=2", { page2: true });
  add("/api/v1/sla-policies/:id", "SLA policy", "agent", `/api/v1/sla-policies/${policy}`);

  // ---- CMDB ----
  const C = "/api/v1/cmdb/cis";
  add(C, "CIs by name", "agent", `${C}?limit=50`, { page2: true });
  add(C, "CIs of a class", "agent", `${C}?classId=${serverClass}`, { page2: true });
  add(C, "CIs: search part of a name", "agent", `${C}?q=${enc(server.name.slice(0, 8))}`);
  add(C, "CIs: search host name", "admin", `${C}?q=${enc(server.hostname)}`);
  add(C, "CIs: search IP", "agent", `${C}?q=${enc("172.0.0")}`);
  add(C, "CIs: by number", "agent", `${C}?q=CI-${String(server.number).padStart(6, "0")}`);
  add(C, "CIs: organization", "admin", `${C}?organizationId=${ciOrg}`);
  add(C, "CIs: in incident", "agent", `${C}?incidentState=incident`);
  add(C, "CIs: retired", "admin", `${C}?deploymentStateId=${retired}`);
  add(C, "CIs: several ids", "agent", `${C}?ids=${someCis.join(",")}`);
  add(
    C,
    "CIs: attribute, rare value",
    "admin",
    `${C}?classId=${serverClass}&attribute=${enc(`hostname=${server.hostname}`)}`,
  );
  add(C, "CIs: attribute, common value", "admin", `${C}?attribute=${enc("os=Debian 12")}`);
  add(`${C}/export`, "CI export: servers", "admin", `${C}/export?classId=${serverClass}&format=csv`);
  add(`${C}/export`, "CI export: search", "admin", `${C}/export?q=srv-0001&format=xlsx`);
  add(
    `${C}/export`,
    "CI export: filters",
    "admin",
    `${C}/export?organizationId=${ciOrg}&incidentState=operational&deploymentStateId=${retired}&attribute=${enc("os=Debian 12")}&ids=${someCis.join(",")}`,
  );
  add(`${C}/:id`, "CI page: core switch", "agent", `${C}/${refs.hubCiId}`);
  add(`${C}/:id/versions`, "CI versions", "agent", `${C}/${refs.hubCiId}/versions`);
  add(`${C}/:id/relations`, "relations of the core switch", "agent", `${C}/${refs.hubCiId}/relations`);
  add(`${C}/:id/relations`, "relations of a service", "agent", `${C}/${refs.businessServiceCiId}/relations`);
  add(`${C}/:id/impact`, "impact: core switch down", "agent", `${C}/${refs.hubCiId}/impact?depth=5`);
  add(
    `${C}/:id/impact`,
    "impact: chain bottom, 10 hops",
    "agent",
    `${C}/${refs.chainBottomCiId}/impact?direction=downstream&depth=10`,
  );
  add(
    `${C}/:id/impact`,
    "impact: chain top needs, 10 hops",
    "agent",
    `${C}/${refs.chainTopCiId}/impact?direction=upstream&depth=10`,
  );
  add(`${C}/:id/impact`, "impact: shared database", "admin", `${C}/${refs.sharedDatabaseCiId}/impact`);
  add(`${C}/:id/graph`, "graph: core switch", "agent", `${C}/${refs.hubCiId}/graph?depth=2`);
  add(`${C}/:id/graph`, "graph: virtual machine", "agent", `${C}/${refs.virtualMachineCiId}/graph?depth=3`);
  add(`${C}/:id/redundancy-groups`, "redundancy groups", "agent", `${C}/${refs.hubCiId}/redundancy-groups`);
  add("/api/v1/cmdb/impact-simulation", "what if: VM and core fail", "agent", "/api/v1/cmdb/impact-simulation", {
    method: "POST",
    body: { ciIds: [refs.virtualMachineCiId, refs.hubCiId], depth: 5 },
  });
  add("/api/v1/cmdb/relation-types", "relation types", "agent", "/api/v1/cmdb/relation-types");
  add("/api/v1/cmdb/catalog", "general catalog", "agent", "/api/v1/cmdb/catalog");
  add("/api/v1/cmdb/catalog/:listName", "deployment states", "agent", "/api/v1/cmdb/catalog/deployment_state");
  add("/api/v1/cmdb/classes", "CI classes", "agent", "/api/v1/cmdb/classes?limit=2", { page2: true });
  add("/api/v1/cmdb/classes/:id", "CI class", "agent", `/api/v1/cmdb/classes/${serverClass}`);
  add(
    "/api/v1/cmdb/classes/:id/versions/:version",
    "CI class version",
    "agent",
    `/api/v1/cmdb/classes/${serverClass}/versions/1`,
  );
  add("/api/v1/cmdb/inventory-keys", "inventory keys", "admin", "/api/v1/cmdb/inventory-keys");
  add("/api/v1/cmdb/discovery-log", "discovery log", "admin", "/api/v1/cmdb/discovery-log?limit=50", { page2: true });
  add("/api/v1/cmdb/discovery-log", "discovery conflicts", "admin", "/api/v1/cmdb/discovery-log?outcome=conflict");

  // ---- changes ----
  const H = "/api/v1/changes";
  add(H, "changes", "agent", `${H}?limit=50`, { page2: true });
  add(H, "changes: scheduled", "agent", `${H}?state=scheduled`);
  add(H, "changes: emergency", "agent", `${H}?type=emergency`);
  add(H, "changes: on the core switch", "agent", `${H}?ciId=${refs.hubCiId}`);
  add(H, "changes: category", "admin", `${H}?categoryId=${changeCategory}`);
  add(H, "changes: group", "admin", `${H}?groupId=${changeGroup}`);
  add(H, "changes: linked to a ticket", "admin", `${H}?ticketId=${changeTicket}`);
  add(H, "changes: high risk", "agent", `${H}?riskLevel=high`);
  add(H, "changes: planned next month", "agent", `${H}?from=${iso(0)}&to=${iso(30)}`);
  add(`${H}/calendar`, "change calendar", "agent", `${H}/calendar?from=${enc(iso(-7))}&to=${enc(iso(30))}`);
  add(
    `${H}/calendar`,
    "change calendar: filters",
    "agent",
    `${H}/calendar?from=${enc(iso(-30))}&to=${enc(iso(30))}&serviceId=${refs.businessServiceCiId}&ciId=${refs.hubCiId}&groupId=${changeGroup}&type=normal&state=scheduled,implementing`,
  );
  add(`${H}/calendar.ics`, "change calendar feed", "agent", feedPath);
  add(`${H}/report`, "change report: last year", "admin", `${H}/report?from=${enc(iso(-365))}&to=${enc(iso(0))}`);
  add(`${H}/gate`, "deployment gate by id", "agent", `${H}/gate?ci=${refs.hubCiId}`);
  add(
    `${H}/gate`,
    "deployment gate by number",
    "agent",
    `${H}/gate?ci=CI-${String(hub.number).padStart(6, "0")}&at=${enc(iso(1))}`,
  );
  add(`${H}/gate`, "deployment gate by name", "agent", `${H}/gate?ci=${enc(server.name)}`);
  add("/api/v1/changes/assess", "assess a plan", "agent", `${H}/assess`, {
    method: "POST",
    body: { type: "normal", ciIds: [refs.hubCiId, server.id], riskAnswers: {}, outage: { kind: "none" } },
  });
  add(`${H}/:id`, "change page", "agent", `${H}/${refs.changeId}`);
  add(`${H}/:id/assessment`, "change assessment", "agent", `${H}/${refs.changeId}/assessment`);
  add(`${H}/:id/review`, "change review", "agent", `${H}/${refs.changeId}/review`);
  add(`${H}/:id/conflicts`, "change conflicts", "agent", `${H}/${refs.changeId}/conflicts`);
  add(`${H}/:id/approvals`, "change approvals", "agent", `${H}/${refs.changeId}/approvals`);
  add(`${H}/:id/work-orders`, "change work orders", "agent", `${H}/${refs.changeId}/work-orders`);
  add("/api/v1/me/approvals", "my approvals", "agent", "/api/v1/me/approvals");
  add("/api/v1/change-settings", "change settings", "agent", "/api/v1/change-settings");
  add("/api/v1/change-templates", "change templates", "agent", "/api/v1/change-templates?limit=2", { page2: true });
  add("/api/v1/change-templates/:id", "change template", "agent", `/api/v1/change-templates/${template}`);
  add("/api/v1/cab-templates", "CAB templates", "agent", "/api/v1/cab-templates");
  add("/api/v1/change-approver-sets", "approver sets", "agent", "/api/v1/change-approver-sets");
  add("/api/v1/maintenance-windows", "maintenance windows", "agent", "/api/v1/maintenance-windows");
  add("/api/v1/blackout-windows", "blackout windows", "agent", "/api/v1/blackout-windows");
  return p;
}

// ---------------------------------------------------------------------------------------------------------
// Report

/** A statement as the JSON report keeps it: long key lists and SQL shortened, the plan only when it failed. */
function compact(s: StatementResult): StatementResult {
  const keys = (p: unknown) =>
    Array.isArray(p) && p.length > 20 ? [...p.slice(0, 5), `… ${p.length} values in all`] : p;
  const params =
    s.params.length > 50
      ? [...s.params.slice(0, 50).map(keys), `… ${s.params.length} parameters in all`]
      : s.params.map(keys);
  const keep = s.findings.length || s.error ? 20_000 : 600;
  const sql = s.sql.length > keep ? `${s.sql.slice(0, keep)} … (${s.sql.length} characters)` : s.sql;
  const cut = (f: Finding): Finding => ({
    ...f,
    detail: f.detail.length > 1000 ? `${f.detail.slice(0, 1000)} …` : f.detail,
  });
  return {
    ...s,
    sql,
    params,
    findings: s.findings.map(cut),
    excluded: s.excluded.map((e) => ({ ...e, finding: cut(e.finding) })),
  };
}

function short(text: string, width: number): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > width ? `${t.slice(0, width - 1)}…` : t;
}

function report(r: {
  target: Target;
  marker: DatasetMarker;
  size: Size;
  minRows: number;
  sortRows: number;
  bigTables: [string, number][];
  requests: RequestResult[];
  statements: StatementResult[];
  coverage: Coverage;
  seconds: number;
}): number {
  const { requests, statements, coverage } = r;
  const lines: string[] = [];
  const w = (s = "") => lines.push(s);
  w(
    `query-plan guard, size ${r.size} on ${r.target.label}; sorts of more than ${r.sortRows.toLocaleString("en-US")} rows fail; ` +
      `big tables (> ${r.minRows.toLocaleString("en-US")} rows):`,
  );
  w(`  ${r.bigTables.map(([t, n]) => `${t} ${Math.round(n).toLocaleString("en-US")}`).join(", ") || "none"}`);
  w();
  // One line per request; under it, each failing statement with the offending node (every statement with --verbose).
  w(`${"request".padEnd(46)} ${"ms".padStart(8)} ${"SELECTs".padStart(7)}  verdict`);
  let failedStatements = 0;
  const failedIds = new Set<number>();
  const verbose = args.includes("--verbose");
  for (const req of requests) {
    const bad = req.statements.filter((i) => {
      const s = statements[i] as StatementResult;
      return s.findings.length > 0 || s.error !== undefined;
    });
    const excused = req.statements.filter((i) => (statements[i] as StatementResult).excluded.length > 0).length;
    const verdict = req.error
      ? `FAIL http ${req.status}: ${short(req.error, 160)}`
      : bad.length
        ? `FAIL ${bad.length} statement${bad.length > 1 ? "s" : ""}`
        : excused
          ? `ok (${excused} with excluded findings)`
          : "ok";
    w(
      `${short(`${req.as}: ${req.label}`, 46).padEnd(46)} ${req.ms.toFixed(1).padStart(8)} ${String(req.statements.length).padStart(7)}  ${verdict}`,
    );
    for (const i of verbose ? req.statements : bad) {
      const s = statements[i] as StatementResult;
      const v = s.error
        ? `FAIL explain: ${short(s.error, 120)}`
        : s.findings.length
          ? `FAIL ${s.findings.map((f) => `${f.rule}: ${f.node}`).join("; ")}`
          : s.excluded.length
            ? `ok (excluded ${s.excluded.map((e) => `${e.finding.rule}: ${e.finding.node}`).join("; ")})`
            : "ok";
      w(`    ${short(s.sql, 90).padEnd(90)} ${v}`);
      if (s.findings.length || s.error) failedIds.add(i);
    }
    for (const i of bad) failedIds.add(i);
  }
  failedStatements = failedIds.size;
  const httpFailures = requests.filter((q) => q.error);
  w();
  if (failedIds.size) {
    w("findings:");
    for (const i of failedIds) {
      const s = statements[i] as StatementResult;
      const who = requests.filter((q) => q.statements.includes(i)).map((q) => `${q.as}: ${q.label}`);
      w(`- ${who.slice(0, 4).join(" | ")}${who.length > 4 ? ` (+${who.length - 4} more)` : ""}`);
      w(`  ${short(s.sql, 400)}`);
      if (s.params.length) w(`  params: ${short(JSON.stringify(s.params), 300)}`);
      for (const f of s.findings) w(`  ${f.rule}: ${f.node} — ${short(f.detail, 300)}`);
      if (s.error) w(`  explain failed: ${s.error}`);
    }
    w();
  }
  for (const c of coverage.uncoveredRoutes)
    w(`FAIL uncovered route: ${c} (add a request to bench/plans.ts, or an exclusion with a reason)`);
  for (const c of coverage.unusedParams) w(`FAIL unused parameter: ${c.route} ?${c.param}`);
  for (const c of coverage.unknownProbeRoutes) w(`FAIL no such route in the route table: ${c}`);
  for (const c of coverage.excludedRoutes) w(`excluded route: ${c.route} — ${c.reason}`);
  for (const c of coverage.excludedParams) w(`excluded parameter: ${c.route} ?${c.param} — ${c.reason}`);
  const excluded = new Map<string, { count: number; nodes: Set<string> }>();
  for (const s of statements) {
    for (const e of s.excluded) {
      const x = excluded.get(e.reason) ?? { count: 0, nodes: new Set<string>() };
      x.count++;
      x.nodes.add(`${e.finding.rule} ${e.finding.relation}`);
      excluded.set(e.reason, x);
    }
  }
  for (const [reason, x] of excluded) w(`excluded findings: ${x.count} (${[...x.nodes].join(", ")}) — ${reason}`);
  const failures =
    failedStatements +
    httpFailures.length +
    coverage.uncoveredRoutes.length +
    coverage.unusedParams.length +
    coverage.unknownProbeRoutes.length;
  w(
    `${requests.length} requests, ${statements.length} distinct statements explained, ${failedStatements} failing statements, ` +
      `${httpFailures.length} failed requests, ${coverage.uncoveredRoutes.length + coverage.unusedParams.length + coverage.unknownProbeRoutes.length} coverage gaps ` +
      `in ${formatDuration(r.seconds)}: ${failures ? "FAIL" : "ok"}`,
  );
  console.log(lines.join("\n"));

  const dir = path.resolve(import.meta.dirname, "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `plans-${r.size}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        size: r.size,
        minRows: r.minRows,
        sortRows: r.sortRows,
        target: r.target.label,
        dataset: { seed: r.marker.seed, seededAt: r.marker.seededAt, counts: r.marker.counts },
        bigTables: Object.fromEntries(r.bigTables),
        ok: failures === 0,
        seconds: Math.round(r.seconds * 10) / 10,
        coverage,
        requests,
        statements: statements.map(compact),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`details: ${path.relative(process.cwd(), file)}`);
  return failures ? 1 : 0;
}

process.exitCode = await main();
