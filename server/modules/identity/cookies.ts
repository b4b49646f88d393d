import type { FastifyReply, FastifyRequest } from "fastify";
import { CSRF_COOKIE, SESSION_COOKIE, type Session } from "./auth-service.ts";

export function setSessionCookies(reply: FastifyReply, request: FastifyRequest, session: Session): void {
  const secure = request.protocol === "https";
  reply.setCookie(SESSION_COOKIE, session.cookie, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure,
    expires: session.expiresAt,
  });
  // Readable by the page, echoed back in X-CSRF-Token (double submit; the server also checks it against the session).
  reply.setCookie(CSRF_COOKIE, session.csrfToken, {
    path: "/",
    httpOnly: false,
    sameSite: "lax",
    secure,
    expires: session.expiresAt,
  });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
  reply.clearCookie(CSRF_COOKIE, { path: "/" });
}
