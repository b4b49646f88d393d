import type { z } from "zod";
import {
  type GroupCreate,
  GroupPageSchema,
  GroupSchema,
  type GroupUpdate,
  LoginResultSchema,
  type Me,
  MeSchema,
  type OrganizationCreate,
  OrganizationPageSchema,
  OrganizationSchema,
  type OrganizationUpdate,
  RoleListSchema,
  type TokenCreate,
  TokenCreatedSchema,
  TokenListSchema,
  type UserCreate,
  type UserKind,
  UserPageSchema,
  UserSchema,
  type UserUpdate,
} from "../../../common/identity.ts";
import { isApiError, request, requestVoid, setCsrfToken } from "./client.ts";

const id = encodeURIComponent;

export interface ListParams {
  q?: string;
  active?: boolean;
  cursor?: string;
  limit?: number;
}

export interface UserListParams extends ListParams {
  kind?: UserKind;
  organizationId?: string;
}

// ---- auth ----

/** The signed-in user, or null when there is no session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await request("GET", "/me", MeSchema);
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (isApiError(error, 401)) return null;
    throw error;
  }
}

export async function login(email: string, password: string): Promise<Me> {
  const { user } = await request("POST", "/auth/login", LoginResultSchema, { body: { email, password } });
  setCsrfToken(user.csrfToken);
  return user;
}

export async function logout(): Promise<void> {
  await requestVoid("POST", "/auth/logout");
  setCsrfToken(null);
}

// ---- users ----

export const listUsers = (params: UserListParams) => request("GET", "/users", UserPageSchema, { query: { ...params } });
export const getUser = (userId: string) => request("GET", `/users/${id(userId)}`, UserSchema);
export const createUser = (body: UserCreate) => request("POST", "/users", UserSchema, { body });
export const updateUser = (userId: string, body: UserUpdate) =>
  request("PATCH", `/users/${id(userId)}`, UserSchema, { body });

// ---- organizations ----

export const listOrganizations = (params: ListParams) =>
  request("GET", "/organizations", OrganizationPageSchema, { query: { ...params } });
export const getOrganization = (orgId: string) => request("GET", `/organizations/${id(orgId)}`, OrganizationSchema);
export const createOrganization = (body: OrganizationCreate) =>
  request("POST", "/organizations", OrganizationSchema, { body });
export const updateOrganization = (orgId: string, body: OrganizationUpdate) =>
  request("PATCH", `/organizations/${id(orgId)}`, OrganizationSchema, { body });

// ---- groups ----

export const listGroups = (params: ListParams) => request("GET", "/groups", GroupPageSchema, { query: { ...params } });
export const getGroup = (groupId: string) => request("GET", `/groups/${id(groupId)}`, GroupSchema);
export const createGroup = (body: GroupCreate) => request("POST", "/groups", GroupSchema, { body });
export const updateGroup = (groupId: string, body: GroupUpdate) =>
  request("PATCH", `/groups/${id(groupId)}`, GroupSchema, { body });

// ---- roles ----

export const listRoles = () => request("GET", "/roles", RoleListSchema);

// ---- API tokens ----

export const listTokens = () => request("GET", "/me/tokens", TokenListSchema);
export const createToken = (body: TokenCreate) => request("POST", "/me/tokens", TokenCreatedSchema, { body });
export const revokeToken = (tokenId: string) => requestVoid("DELETE", `/me/tokens/${id(tokenId)}`);

export type TokenCreated = z.infer<typeof TokenCreatedSchema>;
