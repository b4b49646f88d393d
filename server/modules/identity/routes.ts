import { z } from "zod";
import { IdParamsSchema } from "../../../common/api.ts";
import {
  GroupCreateSchema,
  GroupListQuerySchema,
  GroupPageSchema,
  GroupSchema,
  GroupUpdateSchema,
  LoginResultSchema,
  LoginSchema,
  MeSchema,
  OrganizationCreateSchema,
  OrganizationListQuerySchema,
  OrganizationPageSchema,
  OrganizationSchema,
  OrganizationUpdateSchema,
  RoleListSchema,
  TokenCreatedSchema,
  TokenCreateSchema,
  TokenListSchema,
  UserCreateSchema,
  UserListQuerySchema,
  UserPageSchema,
  UserSchema,
  UserUpdateSchema,
} from "../../../common/identity.ts";
import { type AnyRoute, defineRoute } from "../../http/route.ts";
import type { Deps } from "../../platform/deps.ts";
import { Unauthorized } from "../../platform/errors.ts";
import * as auth from "./auth-service.ts";
import { clearSessionCookies, setSessionCookies } from "./cookies.ts";
import * as groups from "./group-service.ts";
import * as orgs from "./organization-service.ts";
import * as repo from "./repository.ts";
import * as users from "./user-service.ts";

export function identityRoutes(deps: Deps): AnyRoute[] {
  return [
    // ---- sessions ----
    defineRoute({
      method: "POST",
      url: "/api/v1/auth/login",
      access: "public",
      summary: "Sign in with e-mail and password; sets the session cookie",
      tags: ["auth"],
      body: LoginSchema,
      response: { status: 200, schema: LoginResultSchema },
      handler: async ({ body, request, reply }) => {
        const session = await auth.login(deps, body, {
          ip: request.ip,
          userAgent: request.headers["user-agent"] ?? null,
          requestId: String(request.id),
        });
        setSessionCookies(reply, request, session);
        return { user: session.me };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/auth/logout",
      access: "authenticated",
      summary: "End the current session",
      tags: ["auth"],
      response: { status: 204 },
      handler: async ({ request, reply }) => {
        await auth.logout(deps, request.cookies[auth.SESSION_COOKIE]);
        clearSessionCookies(reply);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/me",
      access: "authenticated",
      summary: "The signed-in user, with effective permissions and the CSRF token",
      tags: ["auth"],
      response: { status: 200, schema: MeSchema },
      handler: async ({ actor, csrfToken }) => {
        if (!actor) throw new Unauthorized();
        return auth.me(deps, { actor, csrfToken });
      },
    }),
    // ---- API tokens ----
    defineRoute({
      method: "POST",
      url: "/api/v1/me/tokens",
      access: "authenticated",
      summary: "Create an API token (shown once)",
      tags: ["auth"],
      body: TokenCreateSchema,
      response: { status: 201, schema: TokenCreatedSchema },
      handler: ({ ctx, body }) => auth.createToken(deps, ctx, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/me/tokens",
      access: "authenticated",
      summary: "Your API tokens (never their secrets)",
      tags: ["auth"],
      response: { status: 200, schema: TokenListSchema },
      handler: ({ ctx }) => auth.listTokens(deps, ctx),
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/v1/me/tokens/:id",
      access: "authenticated",
      summary: "Revoke one of your API tokens",
      tags: ["auth"],
      params: IdParamsSchema,
      response: { status: 204 },
      handler: ({ ctx, params }) => auth.revokeToken(deps, ctx, params.id),
    }),
    // ---- users ----
    defineRoute({
      method: "GET",
      url: "/api/v1/users",
      access: "user.read",
      summary: "List users",
      tags: ["users"],
      query: UserListQuerySchema,
      response: { status: 200, schema: UserPageSchema },
      handler: ({ ctx, query }) => users.listUsers(deps, ctx, query),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/users",
      access: "user.create",
      summary: "Create a user (agent or customer)",
      tags: ["users"],
      body: UserCreateSchema,
      response: { status: 201, schema: UserSchema },
      handler: ({ ctx, body }) => users.createUser(deps, ctx, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/users/:id",
      access: "user.read",
      summary: "Read a user",
      tags: ["users"],
      params: IdParamsSchema,
      response: { status: 200, schema: UserSchema },
      handler: ({ ctx, params }) => users.getUser(deps, ctx, params.id),
    }),
    defineRoute({
      method: "PATCH",
      url: "/api/v1/users/:id",
      access: "user.update",
      summary: "Edit a user; `active: false` deactivates",
      tags: ["users"],
      params: IdParamsSchema,
      body: UserUpdateSchema,
      response: { status: 200, schema: UserSchema },
      handler: ({ ctx, params, body, ifMatch }) => users.updateUser(deps, ctx, params.id, body, ifMatch),
    }),
    // ---- organizations ----
    defineRoute({
      method: "GET",
      url: "/api/v1/organizations",
      access: "organization.read",
      summary: "List organizations (customer companies)",
      tags: ["organizations"],
      query: OrganizationListQuerySchema,
      response: { status: 200, schema: OrganizationPageSchema },
      handler: ({ ctx, query }) => orgs.listOrganizations(deps, ctx, query),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/organizations",
      access: "organization.create",
      summary: "Create an organization",
      tags: ["organizations"],
      body: OrganizationCreateSchema,
      response: { status: 201, schema: OrganizationSchema },
      handler: ({ ctx, body }) => orgs.createOrganization(deps, ctx, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/organizations/:id",
      access: "organization.read",
      summary: "Read an organization",
      tags: ["organizations"],
      params: IdParamsSchema,
      response: { status: 200, schema: OrganizationSchema },
      handler: ({ ctx, params }) => orgs.getOrganization(deps, ctx, params.id),
    }),
    defineRoute({
      method: "PATCH",
      url: "/api/v1/organizations/:id",
      access: "organization.update",
      summary: "Edit an organization",
      tags: ["organizations"],
      params: IdParamsSchema,
      body: OrganizationUpdateSchema,
      response: { status: 200, schema: OrganizationSchema },
      handler: ({ ctx, params, body, ifMatch }) => orgs.updateOrganization(deps, ctx, params.id, body, ifMatch),
    }),
    // ---- groups ----
    defineRoute({
      method: "GET",
      url: "/api/v1/groups",
      access: "group.read",
      summary: "List groups (agent teams)",
      tags: ["groups"],
      query: GroupListQuerySchema,
      response: { status: 200, schema: GroupPageSchema },
      handler: ({ ctx, query }) => groups.listGroups(deps, ctx, query),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/groups",
      access: "group.create",
      summary: "Create a group",
      tags: ["groups"],
      body: GroupCreateSchema,
      response: { status: 201, schema: GroupSchema },
      handler: ({ ctx, body }) => groups.createGroup(deps, ctx, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/groups/:id",
      access: "group.read",
      summary: "Read a group",
      tags: ["groups"],
      params: IdParamsSchema,
      response: { status: 200, schema: GroupSchema },
      handler: ({ ctx, params }) => groups.getGroup(deps, ctx, params.id),
    }),
    defineRoute({
      method: "PATCH",
      url: "/api/v1/groups/:id",
      access: "group.update",
      summary: "Edit a group, its members and roles",
      tags: ["groups"],
      params: IdParamsSchema,
      body: GroupUpdateSchema,
      response: { status: 200, schema: GroupSchema },
      handler: ({ ctx, params, body, ifMatch }) => groups.updateGroup(deps, ctx, params.id, body, ifMatch),
    }),
    // ---- roles ----
    defineRoute({
      method: "GET",
      url: "/api/v1/roles",
      access: "role.read",
      summary: "List roles and their permissions",
      tags: ["roles"],
      query: z.strictObject({}),
      response: { status: 200, schema: RoleListSchema },
      handler: async () => {
        const rows = await repo.listRoles(deps.db);
        return {
          items: rows.map((r) => ({
            id: r.id,
            name: r.name,
            description: r.description,
            permissions: r.permissions,
            builtin: r.builtin,
          })),
        };
      },
    }),
  ];
}
