import { randomBytes } from "node:crypto";
import type { Login, Me, Token, TokenCreate } from "../../../common/identity.ts";
import { CUSTOMER_PERMISSIONS, PERMISSIONS, type Permission } from "../../../common/permissions.ts";
import { inTransaction } from "../../db/database.ts";
import type { ApiTokenRow } from "../../db/types.ts";
import { appendAudit } from "../../platform/audit.ts";
import type { Actor, RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Invalid, NotFound, TooManyRequests, Unauthorized } from "../../platform/errors.ts";
import { randomToken, sha256, verifyPassword } from "../../platform/secrets.ts";
import * as repo from "./repository.ts";

export const SESSION_COOKIE = "steward_session";
export const CSRF_COOKIE = "steward_csrf";

const THROTTLE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 30;
const TOUCH_EVERY_MS = 5 * 60_000;
const ALL = new Set<string>(PERMISSIONS);

/** Effective capabilities: admins all, customers the customer set, agents their roles' (narrowed by scopes). */
export async function permissionsFor(
  deps: Pick<Deps, "db">,
  user: { id: string; kind: "agent" | "customer"; admin: boolean },
  scopes: string[] | null = null,
): Promise<Set<Permission>> {
  let base: Permission[];
  if (user.admin) base = [...PERMISSIONS];
  else if (user.kind === "customer") base = [...CUSTOMER_PERMISSIONS];
  else base = (await repo.permissionsOfUser(deps.db, user.id)).filter((p): p is Permission => ALL.has(p));
  const set = new Set(base);
  if (scopes) for (const p of set) if (!scopes.includes(p)) set.delete(p);
  return set;
}

export interface Session {
  cookie: string;
  csrfToken: string;
  expiresAt: Date;
  me: Me;
}

/** Checks the password (throttled per account and per address) and opens a session. */
export async function login(
  deps: Deps,
  input: Login,
  client: { ip: string; userAgent: string | null; requestId: string },
): Promise<Session> {
  const email = input.email.trim().toLowerCase();
  const now = deps.now();
  const failures = await repo.countLoginFailures(
    deps.db,
    new Date(now.getTime() - THROTTLE_WINDOW_MS),
    email,
    client.ip,
  );
  if (failures.byEmail >= MAX_FAILURES_PER_ACCOUNT || failures.byIp >= MAX_FAILURES_PER_ADDRESS) {
    throw new TooManyRequests("Too many failed sign-in attempts; wait 15 minutes and try again", 15 * 60);
  }
  const user = await repo.findUserByEmail(deps.db, email);
  const ok = await verifyPassword(user?.active ? user.password_hash : null, input.password);
  if (!user || !ok) {
    await repo.recordLoginFailure(deps.db, email, client.ip, now);
    throw new Unauthorized("Invalid e-mail or password");
  }
  const permissions = await permissionsFor(deps, user);
  const cookie = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + deps.config.sessionHours * 3_600_000);
  await inTransaction(deps.db, async (tx) => {
    await repo.insertSession(tx, {
      id: sha256(cookie),
      userId: user.id,
      csrfToken,
      expiresAt,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
    });
    await tx.updateTable("users").set({ last_login_at: now }).where("id", "=", user.id).execute();
    await repo.clearLoginFailures(tx, email);
    await appendAudit(
      tx,
      { actor: { ...actorOf(user), permissions }, requestId: client.requestId, source: "web" },
      {
        action: "session.created",
        entityType: "user",
        entityId: user.id,
        changes: { ip: [null, client.ip] },
      },
    );
  });
  return {
    cookie,
    csrfToken,
    expiresAt,
    me: {
      id: user.id,
      email: user.email,
      name: user.name,
      kind: user.kind,
      admin: user.admin,
      organizationId: user.organization_id,
      permissions: [...permissions].sort(),
      csrfToken,
    },
  };
}

function actorOf(user: { id: string; kind: "agent" | "customer"; admin: boolean; organization_id: string | null }) {
  return {
    id: user.id,
    kind: user.kind,
    admin: user.admin,
    organizationId: user.organization_id,
    via: "session" as const,
  };
}

export async function logout(deps: Deps, cookie: string | undefined): Promise<void> {
  if (cookie) await repo.deleteSession(deps.db, sha256(cookie));
}

export interface Resolved {
  actor: Actor;
  csrfToken: string | null;
}

/** `stw_<8 hex prefix>_<64 hex secret>`: no part contains the separator, so a token splits one way only. */
const TOKEN_PATTERN = /^stw_[0-9a-f]{8}_[0-9a-f]{64}$/;

/** Resolves the caller from a bearer token or a session cookie. A bad token is a 401, never anonymous. */
export async function authenticate(
  deps: Deps,
  credentials: { bearer?: string | undefined; sessionCookie?: string | undefined },
): Promise<Resolved | null> {
  const now = deps.now();
  if (credentials.bearer !== undefined) {
    const bearer = credentials.bearer.trim();
    if (!TOKEN_PATTERN.test(bearer)) throw new Unauthorized("Malformed API token");
    const row = await repo.findTokenWithUser(deps.db, sha256(bearer));
    if (!row?.active) throw new Unauthorized("Invalid API token");
    if (row.revoked_at) throw new Unauthorized("This API token was revoked");
    if (row.expires_at && row.expires_at <= now) throw new Unauthorized("This API token has expired");
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
      await repo.touchToken(deps.db, row.token_id, now);
    }
    return {
      actor: {
        id: row.id,
        kind: row.kind,
        admin: row.admin,
        organizationId: row.organization_id,
        permissions: await permissionsFor(deps, row, row.scopes),
        via: "token",
      },
      csrfToken: null,
    };
  }
  if (credentials.sessionCookie) {
    const id = sha256(credentials.sessionCookie);
    const row = await repo.findSessionWithUser(deps.db, id, now);
    if (!row) return null;
    if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) await repo.touchSession(deps.db, id, now);
    return {
      actor: {
        id: row.id,
        kind: row.kind,
        admin: row.admin,
        organizationId: row.organization_id,
        permissions: await permissionsFor(deps, row),
        via: "session",
      },
      csrfToken: row.csrf_token,
    };
  }
  return null;
}

export async function me(deps: Deps, resolved: Resolved): Promise<Me> {
  const user = await repo.findUser(deps.db, resolved.actor.id);
  if (!user) throw new Unauthorized();
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    kind: user.kind,
    admin: user.admin,
    organizationId: user.organization_id,
    permissions: [...resolved.actor.permissions].sort(),
    csrfToken: resolved.csrfToken,
  };
}

// ---- API tokens ----
function presentToken(row: ApiTokenRow): Token {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export async function createToken(
  deps: Deps,
  ctx: RequestContext,
  input: TokenCreate,
): Promise<Token & { token: string }> {
  const errors = [];
  let expiresAt: Date | null = null;
  if (input.expiresAt) {
    expiresAt = new Date(input.expiresAt);
    if (expiresAt <= deps.now()) errors.push({ field: "body.expiresAt", message: "must be in the future" });
  }
  const scopes = input.scopes ? [...new Set(input.scopes)].sort() : null;
  const beyond = scopes?.filter((s) => !ctx.actor.permissions.has(s as Permission)) ?? [];
  if (beyond.length) errors.push({ field: "body.scopes", message: `you do not hold: ${beyond.join(", ")}` });
  if (errors.length) throw new Invalid(errors);

  const prefix = randomBytes(4).toString("hex");
  const token = `stw_${prefix}_${randomBytes(32).toString("hex")}`;
  const row = await inTransaction(deps.db, async (tx) => {
    const created = await repo.insertToken(tx, {
      userId: ctx.actor.id,
      name: input.name,
      prefix,
      tokenHash: sha256(token),
      scopes,
      expiresAt,
    });
    await appendAudit(tx, ctx, {
      action: "api_token.created",
      entityType: "api_token",
      entityId: created.id,
      changes: {
        name: [null, created.name],
        scopes: [null, scopes],
        expiresAt: [null, expiresAt?.toISOString() ?? null],
      },
    });
    return created;
  });
  return { ...presentToken(row), token };
}

export async function listTokens(deps: Deps, ctx: RequestContext): Promise<{ items: Token[] }> {
  const rows = await repo.listTokensOfUser(deps.db, ctx.actor.id);
  return { items: rows.map(presentToken) };
}

export async function revokeToken(deps: Deps, ctx: RequestContext, id: string): Promise<void> {
  await inTransaction(deps.db, async (tx) => {
    const row = await repo.findTokenOfUser(tx, ctx.actor.id, id);
    if (!row) throw new NotFound("API token");
    if (row.revoked_at) return;
    const now = deps.now();
    await repo.revokeToken(tx, id, now);
    await appendAudit(tx, ctx, {
      action: "api_token.revoked",
      entityType: "api_token",
      entityId: id,
      changes: { revokedAt: [null, now.toISOString()] },
    });
  });
}
