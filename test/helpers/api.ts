import { randomBytes } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { createAdmin } from "../../server/modules/identity/index.ts";
import type { TestApp } from "./test-app.ts";

export const PASSWORD = "correct horse battery staple";

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** A signed-in caller: a cookie session (with CSRF token) or an API token. */
export class Client {
  constructor(
    private readonly t: TestApp,
    private readonly headers: Record<string, string>,
    readonly userId: string,
  ) {}

  call(
    method: string,
    url: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return this.t.request({
      method: method as "GET",
      url,
      headers: { ...this.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...extra },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  }
  /** A body that is not JSON (files, agent payloads), sent as is. */
  send(method: string, url: string, payload: string | Buffer, contentType: string, extra: Record<string, string> = {}) {
    return this.t.request({
      method: method as "POST",
      url,
      headers: { ...this.headers, "content-type": contentType, ...extra },
      payload,
    });
  }
  get(url: string) {
    return this.call("GET", url);
  }
  post(url: string, body?: unknown) {
    return this.call("POST", url, body);
  }
  patch(url: string, body: unknown, extra?: Record<string, string>) {
    return this.call("PATCH", url, body, extra);
  }
  put(url: string, body: unknown, extra?: Record<string, string>) {
    return this.call("PUT", url, body, extra);
  }
  delete(url: string) {
    return this.call("DELETE", url);
  }
}

export async function signIn(t: TestApp, email: string, password = PASSWORD): Promise<Client> {
  const res = await t.request({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === "steward_session");
  const body = res.json();
  return new Client(
    t,
    { cookie: `steward_session=${cookie?.value}`, "x-csrf-token": body.user.csrfToken },
    body.user.id,
  );
}

export function tokenClient(t: TestApp, token: string, userId: string): Client {
  return new Client(t, { authorization: `Bearer ${token}` }, userId);
}

/** An administrator signed in through the API. */
export async function adminClient(t: TestApp): Promise<Client> {
  const email = `${unique("admin")}@example.com`;
  await createAdmin(t.deps, { email, password: PASSWORD, name: "Test Admin" });
  return signIn(t, email);
}

export async function createOrganization(admin: Client, name = unique("Org")): Promise<{ id: string; name: string }> {
  const res = await admin.post("/api/v1/organizations", { name });
  if (res.statusCode !== 201) throw new Error(`organization: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function createUser(
  admin: Client,
  input: { kind: "agent" | "customer"; organizationId?: string; admin?: boolean; roleIds?: string[]; name?: string },
): Promise<{ id: string; email: string; version: number }> {
  const email = `${unique(input.kind)}@example.com`;
  const res = await admin.post("/api/v1/users", {
    email,
    name: input.name ?? `Test ${input.kind}`,
    password: PASSWORD,
    ...input,
  });
  if (res.statusCode !== 201) throw new Error(`user: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Creates a user and signs in as them. */
export async function userClient(admin: Client, t: TestApp, input: Parameters<typeof createUser>[1]): Promise<Client> {
  const user = await createUser(admin, input);
  return signIn(t, user.email);
}
