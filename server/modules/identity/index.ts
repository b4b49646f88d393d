/** Identity: users, organizations, groups, roles, sessions, API tokens. The only import surface. */
import type { FastifyRequest } from "fastify";
import type { Deps } from "../../platform/deps.ts";
import { authenticate, SESSION_COOKIE } from "./auth-service.ts";
import { deleteExpiredSessions, pruneLoginFailures } from "./repository.ts";

export { permissionsFor } from "./auth-service.ts";
export { createAdmin, ensureFirstAdmin } from "./bootstrap.ts";
export { type MailSender, userForSender } from "./mail-senders.ts";
export {
  activeGroupIdsOf,
  activeMembersOf,
  findIdByKey,
  groupSummary,
  organizationSharesTickets,
  organizationSummaries,
  organizationSummary,
  userEmails,
  userSummaries,
} from "./repository.ts";
export { identityRoutes } from "./routes.ts";

/** Resolves the caller of an HTTP request: `Authorization: Bearer` first, then the session cookie. */
export function authenticateRequest(deps: Deps) {
  return (request: FastifyRequest) => {
    const header = request.headers.authorization;
    let bearer: string | undefined;
    // Only Bearer is Steward's; Basic belongs to the inventory endpoint, which checks its own keys.
    if (header !== undefined && !/^Basic\s/i.test(header)) {
      const m = /^Bearer\s+(.+)$/i.exec(header);
      bearer = m?.[1] ?? "";
    }
    return authenticate(deps, { bearer, sessionCookie: request.cookies?.[SESSION_COOKIE] });
  };
}

/** Housekeeping: expired sessions and sign-in failures older than a day. */
export function identityHousekeeping(deps: Deps) {
  return {
    name: "identity-housekeeping",
    cron: "*/10 * * * *",
    async run() {
      const now = deps.now();
      await deleteExpiredSessions(deps.db, now);
      await pruneLoginFailures(deps.db, new Date(now.getTime() - 24 * 3_600_000));
    },
  };
}
