import type { Permission } from "../../common/permissions.ts";

export type Source = "web" | "api" | "email" | "automation" | "system" | "cli";

/** Who is acting. Resolved once per request (session or API token) and passed down explicitly. */
export interface Actor {
  id: string;
  kind: "agent" | "customer";
  admin: boolean;
  organizationId: string | null;
  /** Effective capabilities: role permissions, narrowed by the token's scopes. */
  permissions: ReadonlySet<Permission>;
  via: "session" | "token" | "system" | "mail";
}

/** Everything a use case needs to know about the call besides its input. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  source: Source;
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

/** The system itself (CLI, start-up, workers) acting with every permission. */
export function systemContext(permissions: Iterable<Permission>, source: Source = "system"): RequestContext {
  return {
    actor: {
      id: "00000000-0000-0000-0000-000000000000",
      kind: "agent",
      admin: true,
      organizationId: null,
      permissions: new Set(permissions),
      via: "system",
    },
    requestId: `${source}-${Date.now().toString(36)}`,
    source,
  };
}
