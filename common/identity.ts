import { z } from "zod";
import { BoolQuery, IdSchema, ListQueryBase, pageOf, TimestampSchema, VersionSchema } from "./api.ts";

export const UserKindSchema = z.enum(["agent", "customer"]);
export type UserKind = z.infer<typeof UserKindSchema>;

const email = z
  .email()
  .max(254)
  .transform((v) => v.toLowerCase());
const name = z.string().trim().min(1).max(200);
export const PasswordSchema = z.string().min(12, "must be at least 12 characters").max(1024);

// ---- auth ----
export const LoginSchema = z.strictObject({ email: z.string().max(254), password: z.string().max(1024) });
export type Login = z.infer<typeof LoginSchema>;

export const MeSchema = z.object({
  id: IdSchema,
  email: z.string(),
  name: z.string(),
  kind: UserKindSchema,
  admin: z.boolean(),
  organizationId: IdSchema.nullable(),
  permissions: z.array(z.string()),
  csrfToken: z.string().nullable().describe("Send as X-CSRF-Token on cookie-authenticated writes"),
});
export type Me = z.infer<typeof MeSchema>;

export const LoginResultSchema = z.object({ user: MeSchema });

// ---- API tokens ----
export const TokenCreateSchema = z.strictObject({
  name: name,
  expiresAt: TimestampSchema.optional(),
  scopes: z
    .array(z.string().max(100))
    .max(200)
    .optional()
    .describe("Permissions the token may use; default: all of the user's"),
});
export type TokenCreate = z.infer<typeof TokenCreateSchema>;

export const TokenSchema = z.object({
  id: IdSchema,
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()).nullable(),
  expiresAt: TimestampSchema.nullable(),
  lastUsedAt: TimestampSchema.nullable(),
  revokedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
});
export type Token = z.infer<typeof TokenSchema>;
export const TokenCreatedSchema = TokenSchema.extend({ token: z.string().describe("Shown once; store it now") });
export const TokenListSchema = z.object({ items: z.array(TokenSchema) });

// ---- users ----
export const UserCreateSchema = z.strictObject({
  email,
  name,
  kind: UserKindSchema,
  organizationId: IdSchema.nullable().optional(),
  password: PasswordSchema.optional(),
  admin: z.boolean().optional(),
  roleIds: z.array(IdSchema).max(50).optional(),
});
export type UserCreate = z.infer<typeof UserCreateSchema>;

export const UserUpdateSchema = z.strictObject({
  version: VersionSchema.optional().describe("The version you edited; or send If-Match"),
  email: email.optional(),
  name: name.optional(),
  organizationId: IdSchema.nullable().optional(),
  password: PasswordSchema.optional(),
  admin: z.boolean().optional(),
  active: z.boolean().optional(),
  roleIds: z.array(IdSchema).max(50).optional(),
});
export type UserUpdate = z.infer<typeof UserUpdateSchema>;

export const UserSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  email: z.string(),
  name: z.string(),
  kind: UserKindSchema,
  admin: z.boolean(),
  active: z.boolean(),
  organizationId: IdSchema.nullable(),
  roleIds: z.array(IdSchema),
  lastLoginAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  abilities: z.object({ update: z.boolean() }),
});
export type User = z.infer<typeof UserSchema>;
export const UserPageSchema = pageOf(UserSchema);

export const UserListQuerySchema = z.strictObject({
  ...ListQueryBase,
  q: z.string().trim().max(200).optional().describe("Matches name or e-mail"),
  kind: UserKindSchema.optional(),
  organizationId: IdSchema.optional(),
  active: BoolQuery.optional(),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

// ---- organizations ----
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a domain name like example.com");

export const OrganizationCreateSchema = z.strictObject({
  name,
  domains: z.array(domain).max(50).optional(),
  ticketsShared: z.boolean().optional().describe("Members see each other's tickets"),
});
export type OrganizationCreate = z.infer<typeof OrganizationCreateSchema>;

export const OrganizationUpdateSchema = z.strictObject({
  version: VersionSchema.optional().describe("The version you edited; or send If-Match"),
  name: name.optional(),
  domains: z.array(domain).max(50).optional(),
  ticketsShared: z.boolean().optional(),
  active: z.boolean().optional(),
});
export type OrganizationUpdate = z.infer<typeof OrganizationUpdateSchema>;

export const OrganizationSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  name: z.string(),
  domains: z.array(z.string()),
  ticketsShared: z.boolean(),
  active: z.boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  abilities: z.object({ update: z.boolean() }),
});
export type Organization = z.infer<typeof OrganizationSchema>;
export const OrganizationPageSchema = pageOf(OrganizationSchema);

export const OrganizationListQuerySchema = z.strictObject({
  ...ListQueryBase,
  q: z.string().trim().max(200).optional(),
  active: BoolQuery.optional(),
});
export type OrganizationListQuery = z.infer<typeof OrganizationListQuerySchema>;

// ---- groups ----
export const GroupCreateSchema = z.strictObject({
  name,
  description: z.string().max(2000).optional(),
  signature: z.string().max(4000).optional().describe("Plain text under the group's e-mail replies"),
  memberIds: z.array(IdSchema).max(1000).optional(),
  roleIds: z.array(IdSchema).max(50).optional(),
});
export type GroupCreate = z.infer<typeof GroupCreateSchema>;

export const GroupUpdateSchema = z.strictObject({
  version: VersionSchema.optional().describe("The version you edited; or send If-Match"),
  name: name.optional(),
  description: z.string().max(2000).optional(),
  signature: z.string().max(4000).optional(),
  memberIds: z.array(IdSchema).max(1000).optional(),
  roleIds: z.array(IdSchema).max(50).optional(),
  active: z.boolean().optional(),
});
export type GroupUpdate = z.infer<typeof GroupUpdateSchema>;

export const GroupSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  name: z.string(),
  description: z.string(),
  signature: z.string(),
  active: z.boolean(),
  memberIds: z.array(IdSchema),
  roleIds: z.array(IdSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  abilities: z.object({ update: z.boolean() }),
});
export type Group = z.infer<typeof GroupSchema>;
export const GroupPageSchema = pageOf(GroupSchema);

export const GroupListQuerySchema = z.strictObject({
  ...ListQueryBase,
  q: z.string().trim().max(200).optional(),
  active: BoolQuery.optional(),
});
export type GroupListQuery = z.infer<typeof GroupListQuerySchema>;

// ---- roles ----
export const RoleSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  builtin: z.boolean(),
});
export type Role = z.infer<typeof RoleSchema>;
export const RoleListSchema = z.object({ items: z.array(RoleSchema) });

// ---- audit ----
export const AuditQuerySchema = z.strictObject({
  ...ListQueryBase,
  entityType: z.string().max(60).optional(),
  entityId: z.string().max(100).optional(),
  actorId: IdSchema.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditEntrySchema = z.object({
  id: z.string(),
  at: TimestampSchema,
  actorId: IdSchema.nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
  requestId: z.string().nullable(),
  source: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditPageSchema = pageOf(AuditEntrySchema);
