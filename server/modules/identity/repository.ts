import { type Expression, type SqlBool, sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { UserRow } from "../../db/types.ts";
import { decodeCursor, likePattern } from "../../platform/pagination.ts";

/** All SQL on the identity tables. */

/** Keyset condition for lists ordered by (name, id): a row comparison the (name, id) indexes serve. */
function afterNameCursor(cursor: string) {
  const [name, id] = decodeCursor(cursor, ["string", "string"]) as [string, string];
  if (!/^[0-9a-f-]{36}$/i.test(id)) decodeCursor("", ["string"]);
  return sql<SqlBool>`(name, id) > (${name}, ${id}::uuid)`;
}

/** Is a name already used (case-insensitively) in a table whose names are unique? */
async function nameTaken(
  db: Executor,
  table: "organizations" | "groups",
  name: string,
  exceptId?: string,
): Promise<boolean> {
  let q = db.selectFrom(table).select("id").where(sql<SqlBool>`lower(name) = lower(${name})`);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

// ---- users ----
export interface UserFilter {
  visible: (eb: never) => Expression<SqlBool>;
  q?: string | undefined;
  kind?: "agent" | "customer" | undefined;
  organizationId?: string | undefined;
  active?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function listUsers(db: Executor, f: UserFilter): Promise<UserRow[]> {
  let query = db
    .selectFrom("users")
    .selectAll()
    .where(f.visible as never);
  if (f.q) query = query.where(sql<SqlBool>`(name || ' ' || email) ilike ${likePattern(f.q)}`);
  if (f.kind) query = query.where("kind", "=", f.kind);
  if (f.organizationId) query = query.where("organization_id", "=", f.organizationId);
  if (f.active !== undefined) query = query.where("active", "=", f.active);
  if (f.cursor) query = query.where(afterNameCursor(f.cursor));
  return query
    .orderBy("name")
    .orderBy("id")
    .limit(f.limit + 1)
    .execute();
}

export function findUser(db: Executor, id: string, lock = false): Promise<UserRow | undefined> {
  let q = db.selectFrom("users").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email.toLowerCase()).executeTakeFirst();
}

export async function emailTaken(db: Executor, email: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom("users").select("id").where("email", "=", email);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function roleIdsOfUsers(db: Executor, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return map;
  const rows = await db
    .selectFrom("user_roles")
    .select(["user_id", "role_id"])
    .where("user_id", "in", userIds)
    .orderBy("role_id")
    .execute();
  for (const r of rows) map.get(r.user_id)?.push(r.role_id);
  return map;
}

export async function setUserRoles(db: Executor, userId: string, roleIds: string[]): Promise<void> {
  await db.deleteFrom("user_roles").where("user_id", "=", userId).execute();
  if (roleIds.length) {
    await db
      .insertInto("user_roles")
      .values(roleIds.map((role_id) => ({ user_id: userId, role_id })))
      .execute();
  }
}

/** Union of the permissions of a user's own roles and of the roles of their active groups. */
export async function permissionsOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("roles")
    .select("permissions")
    .where((eb) =>
      eb.or([
        eb("id", "in", eb.selectFrom("user_roles").select("role_id").where("user_id", "=", userId)),
        eb(
          "id",
          "in",
          eb
            .selectFrom("group_roles")
            .innerJoin("group_members", "group_members.group_id", "group_roles.group_id")
            .innerJoin("groups", "groups.id", "group_roles.group_id")
            .select("group_roles.role_id")
            .where("group_members.user_id", "=", userId)
            .where("groups.active", "=", true),
        ),
      ]),
    )
    .execute();
  return [...new Set(rows.flatMap((r) => r.permissions))];
}

// ---- roles ----
export function listRoles(db: Executor) {
  return db.selectFrom("roles").selectAll().orderBy("name").execute();
}

export async function missingRoleIds(db: Executor, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db.selectFrom("roles").select("id").where("id", "in", ids).execute();
  const have = new Set(found.map((r) => r.id));
  return ids.filter((id) => !have.has(id));
}

export function builtinRoleByName(db: Executor, name: string) {
  return db.selectFrom("roles").selectAll().where("name", "=", name).where("builtin", "=", true).executeTakeFirst();
}

// ---- organizations ----
export interface OrganizationFilter {
  visible: (eb: never) => Expression<SqlBool>;
  q?: string | undefined;
  active?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function listOrganizations(db: Executor, f: OrganizationFilter) {
  let query = db
    .selectFrom("organizations")
    .selectAll()
    .where(f.visible as never);
  if (f.q) query = query.where("name", "ilike", likePattern(f.q));
  if (f.active !== undefined) query = query.where("active", "=", f.active);
  if (f.cursor) query = query.where(afterNameCursor(f.cursor));
  return query
    .orderBy("name")
    .orderBy("id")
    .limit(f.limit + 1)
    .execute();
}

export function findOrganization(db: Executor, id: string, lock = false) {
  let q = db.selectFrom("organizations").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function organizationNameTaken(db: Executor, name: string, exceptId?: string): Promise<boolean> {
  return nameTaken(db, "organizations", name, exceptId);
}

// ---- groups ----
export interface GroupFilter {
  q?: string | undefined;
  active?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function listGroups(db: Executor, f: GroupFilter) {
  let query = db.selectFrom("groups").selectAll();
  if (f.q) query = query.where("name", "ilike", likePattern(f.q));
  if (f.active !== undefined) query = query.where("active", "=", f.active);
  if (f.cursor) query = query.where(afterNameCursor(f.cursor));
  return query
    .orderBy("name")
    .orderBy("id")
    .limit(f.limit + 1)
    .execute();
}

export function findGroup(db: Executor, id: string, lock = false) {
  let q = db.selectFrom("groups").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function groupNameTaken(db: Executor, name: string, exceptId?: string): Promise<boolean> {
  return nameTaken(db, "groups", name, exceptId);
}

export async function groupLinks(db: Executor, groupIds: string[]) {
  const members = new Map<string, string[]>(groupIds.map((id) => [id, []]));
  const roles = new Map<string, string[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length) {
    const m = await db
      .selectFrom("group_members")
      .select(["group_id", "user_id"])
      .where("group_id", "in", groupIds)
      .orderBy("user_id")
      .execute();
    for (const r of m) members.get(r.group_id)?.push(r.user_id);
    const r = await db
      .selectFrom("group_roles")
      .select(["group_id", "role_id"])
      .where("group_id", "in", groupIds)
      .orderBy("role_id")
      .execute();
    for (const x of r) roles.get(x.group_id)?.push(x.role_id);
  }
  return { members, roles };
}

export async function setGroupLinks(db: Executor, groupId: string, memberIds?: string[], roleIds?: string[]) {
  if (memberIds) {
    await db.deleteFrom("group_members").where("group_id", "=", groupId).execute();
    if (memberIds.length) {
      await db
        .insertInto("group_members")
        .values(memberIds.map((user_id) => ({ group_id: groupId, user_id })))
        .execute();
    }
  }
  if (roleIds) {
    await db.deleteFrom("group_roles").where("group_id", "=", groupId).execute();
    if (roleIds.length) {
      await db
        .insertInto("group_roles")
        .values(roleIds.map((role_id) => ({ group_id: groupId, role_id })))
        .execute();
    }
  }
}

/** Ids among `ids` that are not active agents. */
export async function notAgents(db: Executor, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db.selectFrom("users").select("id").where("id", "in", ids).where("kind", "=", "agent").execute();
  const have = new Set(found.map((r) => r.id));
  return ids.filter((id) => !have.has(id));
}

// ---- sessions, tokens, throttling ----
export function insertSession(
  db: Executor,
  s: { id: string; userId: string; csrfToken: string; expiresAt: Date; ip: string; userAgent: string | null },
) {
  return db
    .insertInto("sessions")
    .values({
      id: s.id,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

export function findSessionWithUser(db: Executor, id: string, now: Date) {
  return db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id as session_id",
      "sessions.csrf_token",
      "sessions.last_seen_at",
      "users.id",
      "users.kind",
      "users.admin",
      "users.organization_id",
    ])
    .where("sessions.id", "=", id)
    .where("sessions.expires_at", ">", now)
    .where("users.active", "=", true)
    .executeTakeFirst();
}

export function touchSession(db: Executor, id: string, now: Date) {
  return db.updateTable("sessions").set({ last_seen_at: now }).where("id", "=", id).execute();
}

export function deleteSession(db: Executor, id: string) {
  return db.deleteFrom("sessions").where("id", "=", id).execute();
}

export function deleteSessionsOfUser(db: Executor, userId: string) {
  return db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

export function findTokenWithUser(db: Executor, tokenHash: string) {
  return db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select([
      "api_tokens.id as token_id",
      "api_tokens.scopes",
      "api_tokens.expires_at",
      "api_tokens.revoked_at",
      "api_tokens.last_used_at",
      "users.id",
      "users.kind",
      "users.admin",
      "users.active",
      "users.organization_id",
    ])
    .where("api_tokens.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export function touchToken(db: Executor, id: string, now: Date) {
  return db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", id).execute();
}

export function insertToken(
  db: Executor,
  t: {
    userId: string;
    name: string;
    prefix: string;
    tokenHash: string;
    scopes: string[] | null;
    expiresAt: Date | null;
  },
) {
  return db
    .insertInto("api_tokens")
    .values({
      user_id: t.userId,
      name: t.name,
      prefix: t.prefix,
      token_hash: t.tokenHash,
      scopes: t.scopes,
      expires_at: t.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listTokensOfUser(db: Executor, userId: string) {
  return db
    .selectFrom("api_tokens")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(500)
    .execute();
}

export function findTokenOfUser(db: Executor, userId: string, id: string) {
  return db
    .selectFrom("api_tokens")
    .selectAll()
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export function revokeToken(db: Executor, id: string, now: Date) {
  return db.updateTable("api_tokens").set({ revoked_at: now }).where("id", "=", id).execute();
}

export async function countLoginFailures(db: Executor, since: Date, email: string, ip: string) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("login_failures")
        .select(eb.fn.countAll<string>().as("n"))
        .where("email", "=", email)
        .where("at", ">", since)
        .as("by_email"),
      eb
        .selectFrom("login_failures")
        .select(eb.fn.countAll<string>().as("n"))
        .where("ip", "=", ip)
        .where("at", ">", since)
        .as("by_ip"),
    ])
    .executeTakeFirstOrThrow();
  return { byEmail: Number(row.by_email), byIp: Number(row.by_ip) };
}

export async function recordLoginFailure(db: Executor, email: string, ip: string, now: Date) {
  await db.insertInto("login_failures").values({ email, ip, at: now }).execute();
}

export async function clearLoginFailures(db: Executor, email: string) {
  await db.deleteFrom("login_failures").where("email", "=", email).execute();
}

export async function pruneLoginFailures(db: Executor, before: Date) {
  await db.deleteFrom("login_failures").where("at", "<", before).execute();
}

export async function deleteExpiredSessions(db: Executor, now: Date) {
  await db.deleteFrom("sessions").where("expires_at", "<", now).execute();
}

/** Active groups a user is a member of. */
export async function activeGroupIdsOf(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("group_members")
    .innerJoin("groups", "groups.id", "group_members.group_id")
    .select("groups.id")
    .where("group_members.user_id", "=", userId)
    .where("groups.active", "=", true)
    .execute();
  return rows.map((r) => r.id);
}

export async function organizationSharesTickets(db: Executor, organizationId: string | null): Promise<boolean> {
  if (!organizationId) return false;
  const row = await db
    .selectFrom("organizations")
    .select("tickets_shared")
    .where("id", "=", organizationId)
    .executeTakeFirst();
  return row?.tickets_shared ?? false;
}

export function userSummaries(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("users")
    .select(["id", "name", "kind", "active", "organization_id"])
    .where("id", "in", ids)
    .execute();
}

export function groupSummary(db: Executor, id: string) {
  return db.selectFrom("groups").select(["id", "name", "active"]).where("id", "=", id).executeTakeFirst();
}

export function organizationSummary(db: Executor, id: string) {
  return db.selectFrom("organizations").select(["id", "name", "active"]).where("id", "=", id).executeTakeFirst();
}

/** Names of organizations, in one query however many (chunks of 10,000 ids). */
export async function organizationSummaries(db: Executor, ids: readonly string[]) {
  const out: { id: string; name: string; active: boolean }[] = [];
  for (let i = 0; i < ids.length; i += 10_000) {
    out.push(
      ...(await db
        .selectFrom("organizations")
        .select(["id", "name", "active"])
        .where("id", "in", ids.slice(i, i + 10_000))
        .execute()),
    );
  }
  return out;
}

/** Lookups by the names people write in files (imports): e-mail for users, name for organizations and groups. */
export async function findIdByKey(db: Executor, kind: "user" | "organization" | "group", key: string) {
  const lower = key.toLowerCase();
  if (kind === "user") {
    return (await db.selectFrom("users").select("id").where("email", "=", lower).executeTakeFirst())?.id ?? null;
  }
  const table = kind === "organization" ? "organizations" : "groups";
  const row = await db
    .selectFrom(table)
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", lower))
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The e-mail addresses of users, by id (exports write users so that imports read them back). */
export async function userEmails(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("users").select(["id", "email"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}

/** Active users who are members of any of these active groups. */
export async function activeMembersOf(db: Executor, groupIds: readonly string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await db
    .selectFrom("group_members")
    .innerJoin("groups", "groups.id", "group_members.group_id")
    .innerJoin("users", "users.id", "group_members.user_id")
    .select("users.id")
    .distinct()
    .where("group_members.group_id", "in", [...groupIds])
    .where("groups.active", "=", true)
    .where("users.active", "=", true)
    .execute();
  return rows.map((r) => r.id);
}
