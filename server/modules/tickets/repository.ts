import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { TicketListQuery, TicketSort } from "../../../common/tickets.ts";
import type { TicketType } from "../../../common/workflows.ts";
import type { Db, Executor } from "../../db/database.ts";
import type { DB, TicketRow } from "../../db/types.ts";
import { decodeCursor, likePattern } from "../../platform/pagination.ts";

/** All SQL on the service-desk tables. */

export async function nextNumber(db: Executor, type: TicketType): Promise<number> {
  const seq = `ticket_number_${type}`;
  const row = await sql<{ n: string | number }>`select nextval(${seq}::regclass) as n`.execute(db);
  return Number(row.rows[0]?.n);
}

export async function priorityFor(db: Executor, impact: number, urgency: number): Promise<"P1" | "P2" | "P3" | "P4"> {
  const row = await db
    .selectFrom("priority_matrix")
    .select("priority")
    .where("impact", "=", impact)
    .where("urgency", "=", urgency)
    .executeTakeFirstOrThrow();
  return row.priority;
}

export function priorityMatrix(db: Executor) {
  return db.selectFrom("priority_matrix").selectAll().orderBy("impact").orderBy("urgency").execute();
}

export async function setting<T>(db: Executor, key: string): Promise<T | undefined> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value as T | undefined;
}

export function findTicket(db: Executor, id: string, lock = false): Promise<TicketRow | undefined> {
  let q = db.selectFrom("tickets").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function watchersOf(db: Executor, ticketIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(ticketIds.map((id) => [id, []]));
  if (ticketIds.length === 0) return map;
  const rows = await db
    .selectFrom("ticket_watchers")
    .select(["ticket_id", "user_id"])
    .where("ticket_id", "in", ticketIds)
    .orderBy("user_id")
    .execute();
  for (const r of rows) map.get(r.ticket_id)?.push(r.user_id);
  return map;
}

export async function setWatchers(db: Executor, ticketId: string, userIds: string[]): Promise<void> {
  await db.deleteFrom("ticket_watchers").where("ticket_id", "=", ticketId).execute();
  if (userIds.length) {
    await db
      .insertInto("ticket_watchers")
      .values(userIds.map((user_id) => ({ ticket_id: ticketId, user_id })))
      .execute();
  }
}

const NUMBER = /^(INC|REQ|PRB)-?0*(\d{1,9})$/i;
const PREFIX_TYPE: Record<string, TicketType> = { INC: "incident", REQ: "service_request", PRB: "problem" };

/** `INC-000123` (or `inc123`) as its type and number, or null. */
export function parseTicketNumber(text: string): { type: TicketType; number: number } | null {
  const m = NUMBER.exec(text.replace(/\s+/g, ""));
  return m?.[1] && m[2] ? { type: PREFIX_TYPE[m[1].toUpperCase()] as TicketType, number: Number(m[2]) } : null;
}

export interface ListFilter extends Omit<TicketListQuery, "assigneeId" | "requesterId" | "watcherId"> {
  visible: (eb: never) => Expression<SqlBool>;
  assigneeId?: string | "none" | undefined;
  requesterId?: string | undefined;
  watcherId?: string | undefined;
  /** The clock relative filters (slaDueWithinHours) count from. */
  now: Date;
}

/** Requesters and organizations whose names `q` matches, looked up first (null: too many to list). */
interface NameMatches {
  requesterIds: string[] | null;
  organizationIds: string[] | null;
}

const NAME_MATCH_LIMIT = 1000;

/**
 * A search also finds tickets by their requester's and organization's names.
 * Looking those up first gives the ticket query constant id lists (usually
 * empty, then left out) that the planner can size, instead of subqueries it
 * must guess at.
 */
async function nameMatches(db: Executor, f: ListFilter): Promise<NameMatches | undefined> {
  const text = f.q;
  if (!text || text.length < 3) return undefined;
  const users = await db
    .selectFrom("users")
    .select("id")
    .where(sql<SqlBool>`(users.name || ' ' || users.email) ilike ${likePattern(text)}`)
    .limit(NAME_MATCH_LIMIT + 1)
    .execute();
  const orgs = await db
    .selectFrom("organizations")
    .select("id")
    .where(sql<SqlBool>`organizations.name ilike ${likePattern(text)}`)
    .limit(NAME_MATCH_LIMIT + 1)
    .execute();
  return {
    requesterIds: users.length > NAME_MATCH_LIMIT ? null : users.map((u) => u.id),
    organizationIds: orgs.length > NAME_MATCH_LIMIT ? null : orgs.map((o) => o.id),
  };
}

/** Words in the title and description or a reply, part of a title word, or a requester's or organization's name. */
function searchMatch(text: string, names: NameMatches | undefined) {
  const query = sql`websearch_to_tsquery('simple', ${text})`;
  // Every arm is served by an index on tickets, so the planner can OR bitmaps.
  return (eb: ExpressionBuilder<DB, "tickets">) =>
    eb.or([
      sql<SqlBool>`(tickets.search || tickets.replies_search) @@ ${query}`,
      // Parts of words in the title ("prin" finds "Printer"), served by the trigram index.
      ...(text.length >= 3
        ? [
            sql<SqlBool>`tickets.title ilike ${likePattern(text)}`,
            // Requester and organization names: their ids, or (when very many match) a subquery.
            names?.requesterIds === null
              ? eb(
                  "tickets.requester_id",
                  "in",
                  eb
                    .selectFrom("users")
                    .select("users.id")
                    .where(sql<SqlBool>`(users.name || ' ' || users.email) ilike ${likePattern(text)}`),
                )
              : null,
            names?.requesterIds?.length ? eb("tickets.requester_id", "in", names.requesterIds) : null,
            names?.organizationIds === null
              ? eb(
                  "tickets.organization_id",
                  "in",
                  eb
                    .selectFrom("organizations")
                    .select("organizations.id")
                    .where(sql<SqlBool>`organizations.name ilike ${likePattern(text)}`),
                )
              : null,
            names?.organizationIds?.length ? eb("tickets.organization_id", "in", names.organizationIds) : null,
          ].filter((e): e is NonNullable<typeof e> => e !== null)
        : []),
    ]);
}

/** Up to this many matches, a search lists them by id; beyond, they are dense enough to find in sort order. */
const RARE_MATCHES = 2000;

interface Search {
  names: NameMatches | undefined;
  /** The tickets a rare search matches (all of them), or undefined when it matches many. */
  ids?: string[];
}

/**
 * A text search is looked up before the list query: a rare one (at most
 * RARE_MATCHES tickets, found through the indexes alone) becomes an id list,
 * so the list never walks its sort index hoping to meet 50 matches that are
 * not there; a common one stays a condition, met early in any sort order.
 */
async function resolveSearch(db: Executor, f: ListFilter): Promise<Search | undefined> {
  if (!f.q || NUMBER.test(f.q.replace(/\s+/g, ""))) return undefined;
  const names = await nameMatches(db, f);
  const text = f.q;
  // Through the indexes only: a sequential scan "until enough rows match" reads the whole table when few do,
  // and the planner cannot tell those cases apart.
  const lookup = async (tx: Executor) => {
    await sql`set local enable_seqscan = off`.execute(tx);
    const rows = await tx
      .selectFrom("tickets")
      .select("tickets.id")
      .where(searchMatch(text, names))
      .limit(RARE_MATCHES + 1)
      .execute();
    await sql`set local enable_seqscan = on`.execute(tx);
    return rows;
  };
  const hits = db.isTransaction ? await lookup(db) : await (db as Db).transaction().execute(lookup);
  return hits.length > RARE_MATCHES ? { names } : { names, ids: hits.map((h) => h.id) };
}

export async function listTickets(db: Executor, f: ListFilter): Promise<TicketRow[]> {
  const { columns, desc } = SORTS[sortName(f.sort)](f.sort);
  let q = listTicketsQuery(db, f, await resolveSearch(db, f));
  for (const column of columns) q = q.orderBy(column, desc ? "desc" : "asc");
  return q.limit(f.limit + 1).execute();
}

type SortName = "createdAt" | "updatedAt" | "priority" | "slaDue";
const sortName = (sort: TicketSort) => sort.replace(/^-/, "") as SortName;

/**
 * Each sort is a keyset over columns that some index of migration 0008 (or
 * 0002) serves in this exact order and spelling; `id` breaks ties.
 */
const SLA_DUE = sql<Date>`coalesce(tickets.sla_due_at, 'infinity'::timestamptz)`;
const SORTS: Record<SortName, (sort: TicketSort) => { columns: Expression<unknown>[]; desc: boolean }> = {
  createdAt: (s) => ({ columns: [sql`tickets.created_at`, sql`tickets.id`], desc: s.startsWith("-") }),
  updatedAt: (s) => ({ columns: [sql`tickets.updated_at`, sql`tickets.id`], desc: s.startsWith("-") }),
  priority: (s) => ({
    columns: [sql`tickets.priority`, sql`tickets.created_at`, sql`tickets.id`],
    desc: s.startsWith("-"),
  }),
  slaDue: (s) => ({ columns: [SLA_DUE, sql`tickets.id`], desc: s.startsWith("-") }),
};

/** The keyset cursor of a row for a sort: the sort's name, then the values of its columns. */
export function cursorKey(row: TicketRow, sort: TicketSort): string[] {
  switch (sortName(sort)) {
    case "createdAt":
      return [sort, row.created_at.toISOString(), row.id];
    case "updatedAt":
      return [sort, row.updated_at.toISOString(), row.id];
    case "priority":
      return [sort, row.priority, row.created_at.toISOString(), row.id];
    case "slaDue":
      return [sort, row.sla_due_at ? row.sla_due_at.toISOString() : "infinity", row.id];
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isInstant = (v: string) => /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v));

/** The cursor's values as SQL parameters, or a 400 when it was not made for this sort. */
function cursorValues(cursor: string, sort: TicketSort) {
  const name = sortName(sort);
  const shape = name === "priority" ? 4 : 3;
  const key = decodeCursor(cursor, Array(shape).fill("string")) as string[];
  const [made, ...values] = key;
  const id = values[values.length - 1] ?? "";
  const ok =
    made === sort &&
    UUID.test(id) &&
    (name === "priority"
      ? /^P[1-4]$/.test(values[0] ?? "") && isInstant(values[1] ?? "")
      : isInstant(values[0] ?? "") || (name === "slaDue" && values[0] === "infinity"));
  if (!ok) decodeCursor("", ["string"]);
  if (name === "priority") return [sql`${values[0]}`, sql`${new Date(values[1] ?? "")}::timestamptz`, sql`${id}::uuid`];
  const at = values[0] === "infinity" ? sql`'infinity'::timestamptz` : sql`${new Date(values[0] ?? "")}::timestamptz`;
  return [at, sql`${id}::uuid`];
}

function listTicketsQuery(db: Executor, f: ListFilter, search: Search | undefined) {
  let q = db
    .selectFrom("tickets")
    .selectAll()
    .where(f.visible as never);
  if (f.type) q = q.where("type", "in", f.type);
  if (f.state) q = q.where("state", "in", f.state);
  if (f.stateType) q = q.where("state_type", "in", f.stateType);
  if (f.priority) q = q.where("priority", "in", f.priority);
  if (f.impact) q = q.where("impact", "in", f.impact.map(Number));
  if (f.urgency) q = q.where("urgency", "in", f.urgency.map(Number));
  if (f.watcherId) {
    const watcher = f.watcherId;
    q = q.where("tickets.id", "in", (eb) =>
      eb
        .selectFrom("ticket_watchers")
        .select("ticket_watchers.ticket_id")
        .where("ticket_watchers.user_id", "=", watcher),
    );
  }
  if (f.groupId) q = q.where("group_id", "=", f.groupId);
  if (f.assigneeId === "none") q = q.where("assignee_id", "is", null);
  else if (f.assigneeId) q = q.where("assignee_id", "=", f.assigneeId);
  if (f.requesterId) q = q.where("requester_id", "=", f.requesterId);
  if (f.organizationId) q = q.where("organization_id", "=", f.organizationId);
  if (f.categoryId) q = q.where("category_id", "=", f.categoryId);
  if (f.problemId) q = q.where("problem_id", "=", f.problemId);
  if (f.tag) q = q.where(sql<SqlBool>`tags @> array[${f.tag}]::text[]`);
  if (f.customField) {
    const at = f.customField.indexOf("=");
    const key = f.customField.slice(0, at);
    const raw = f.customField.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // plain text
    }
    // "17" may be a number field or a text one holding 17: both forms match.
    const probes = [...new Set([value, raw])].map((v) => JSON.stringify({ [key]: v }));
    q = q.where(
      sql<SqlBool>`(${sql.join(
        probes.map((p) => sql`tickets.custom_fields @> ${p}::jsonb`),
        sql` or `,
      )})`,
    );
  }
  for (const [column, from, to] of [
    ["created_at", f.createdFrom, f.createdTo],
    ["updated_at", f.updatedFrom, f.updatedTo],
    ["resolved_at", f.resolvedFrom, f.resolvedTo],
    ["closed_at", f.closedFrom, f.closedTo],
  ] as const) {
    if (from) q = q.where(column, ">=", new Date(from));
    if (to) q = q.where(column, "<", new Date(to));
  }
  if (f.slaDueWithinHours !== undefined) {
    // The same expression as the tickets_open_sla_due index, so the range is an index scan.
    const until = new Date(f.now.getTime() + f.slaDueWithinHours * 3_600_000);
    q = q.where(sql<SqlBool>`coalesce(tickets.sla_due_at, 'infinity'::timestamptz) < ${until}`);
  }
  if (f.sla) {
    const sla = f.sla;
    q = q.where("tickets.id", "in", (eb) => {
      let clocks = eb.selectFrom("ticket_sla_clocks").select("ticket_sla_clocks.ticket_id");
      if (sla === "breached") clocks = clocks.where("ticket_sla_clocks.status", "=", "breached");
      else clocks = clocks.where("ticket_sla_clocks.status", "=", "running");
      if (sla === "at_risk") clocks = clocks.where("ticket_sla_clocks.warned_at", "is not", null);
      return clocks;
    });
  }
  if (f.q) {
    const number = parseTicketNumber(f.q);
    if (number) {
      q = q.where("type", "=", number.type).where("number", "=", number.number);
    } else if (search?.ids) {
      // A rare match: the few tickets it found, sorted and filtered by the rest of the query.
      const ids = search.ids;
      q = ids.length ? q.where("tickets.id", "in", ids) : q.where(sql<SqlBool>`false`);
    } else {
      q = q.where(searchMatch(f.q, search?.names));
    }
  }
  if (f.cursor) {
    const { columns, desc } = SORTS[sortName(f.sort)](f.sort);
    const row = sql.join(columns);
    const values = sql.join(cursorValues(f.cursor, f.sort));
    q = q.where(desc ? sql<SqlBool>`(${row}) < (${values})` : sql<SqlBool>`(${row}) > (${values})`);
  }
  return q;
}

export function insertArticle(
  db: Executor,
  a: {
    ticketId: string;
    kind: "reply" | "note" | "system";
    authorId: string | null;
    body?: string;
    bodyText?: string;
    event?: Record<string, unknown>;
    timeSpentMinutes?: number | undefined;
    source: string;
    channel?: "web" | "email";
    mail?: Record<string, unknown> | null;
    at: Date;
  },
) {
  return db
    .insertInto("ticket_articles")
    .values({
      ticket_id: a.ticketId,
      kind: a.kind,
      author_id: a.authorId,
      body: a.body ?? "",
      body_text: a.bodyText ?? "",
      event: a.event ? JSON.stringify(a.event) : null,
      time_spent_minutes: a.timeSpentMinutes ?? null,
      source: a.source,
      channel: a.channel ?? "web",
      mail: a.mail ? JSON.stringify(a.mail) : null,
      created_at: a.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listArticles(db: Executor, ticketId: string, kinds: ("reply" | "note" | "system")[]) {
  return db
    .selectFrom("ticket_articles")
    .selectAll()
    .where("ticket_id", "=", ticketId)
    .where("kind", "in", kinds)
    .orderBy("created_at")
    .orderBy("id")
    .limit(5000)
    .execute();
}

export function findCategory(db: Executor, id: string) {
  return db.selectFrom("categories").selectAll().where("id", "=", id).executeTakeFirst();
}

export function listCategories(db: Executor) {
  return db.selectFrom("categories").selectAll().orderBy("name").limit(5000).execute();
}

/** Incidents linked to a problem that are still open. */
export function openIncidentsOfProblem(db: Executor, problemId: string) {
  return db
    .selectFrom("tickets")
    .selectAll()
    .where("problem_id", "=", problemId)
    .where("state_type", "not in", ["resolved", "closed"])
    .forUpdate()
    .execute();
}

export function linksOf(db: Executor, id: string) {
  return db
    .selectFrom("ticket_links")
    .selectAll()
    .where((eb) => eb.or([eb("source_id", "=", id), eb("target_id", "=", id)]))
    .orderBy("created_at")
    .limit(1000)
    .execute();
}

export function ticketsByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("tickets").selectAll().where("id", "in", ids).execute();
}

/** Is `ancestor` above `id` in the parent tree? */
export async function isAncestor(db: Executor, ancestor: string, id: string): Promise<boolean> {
  const r = await sql<{ found: boolean }>`
    with recursive up(id, depth) as (
      select source_id, 1 from ticket_links where target_id = ${id}::uuid and kind = 'parent'
      union
      select l.source_id, up.depth + 1 from ticket_links l join up on l.target_id = up.id
      where l.kind = 'parent' and up.depth < 100
    )
    select exists (select 1 from up where id = ${ancestor}::uuid) as found`.execute(db);
  return r.rows[0]?.found === true;
}

/** Children (through parent links) of a ticket, locked for a cascade. */
export function childrenOf(db: Executor, id: string) {
  return db
    .selectFrom("tickets")
    .selectAll()
    .where(
      "id",
      "in",
      db.selectFrom("ticket_links").select("target_id").where("source_id", "=", id).where("kind", "=", "parent"),
    )
    .forUpdate()
    .execute();
}

/** How many tickets a filtered, visible query matches, counting at most `cap` (cheap on big tables). */
export async function countTickets(db: Executor, f: ListFilter, cap: number): Promise<number> {
  const inner = listTicketsQuery(db, { ...f, cursor: undefined }, await resolveSearch(db, f))
    .clearSelect()
    .select("tickets.id")
    .clearOrderBy()
    .limit(cap);
  const row = await db
    .selectFrom(inner.as("hits"))
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
