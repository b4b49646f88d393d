import { Badge, Group, Input, PasswordInput, SegmentedControl, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { User, UserCreate, UserKind, UserUpdate } from "../../../../common/identity.ts";
import { createUser, updateUser } from "../../api/identity.ts";
import { keys } from "../../api/queries.ts";
import { type FieldErrors, handleSaveError, validatePassword } from "../../lib/form-errors.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { OrganizationSelect, RoleMultiSelect } from "./entity-selects.tsx";
import { FormActions } from "./form-drawer.tsx";
import { sameIds } from "./use-editor.ts";

interface Values {
  name: string;
  email: string;
  kind: UserKind;
  organizationId: string | null;
  password: string;
  admin: boolean;
  active: boolean;
  roleIds: string[];
}

function initialValues(user: User | null): Values {
  return {
    name: user?.name ?? "",
    email: user?.email ?? "",
    kind: user?.kind ?? "agent",
    organizationId: user?.organizationId ?? null,
    password: "",
    admin: user?.admin ?? false,
    active: user?.active ?? true,
    roleIds: user?.roleIds ?? [],
  };
}

function validate(v: Values, creating: boolean): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.name.trim()) errors.name = "Enter a name";
  if (!/^[^\s@]+@[^\s@]+$/.test(v.email.trim())) errors.email = "Enter an e-mail address like name@example.com";
  const password = validatePassword(v.password, false);
  if (password) errors.password = password;
  if (creating && v.kind === "customer" && v.admin) errors.admin = "Customers cannot be administrators";
  return errors;
}

function createBody(v: Values): UserCreate {
  const body: UserCreate = { name: v.name.trim(), email: v.email.trim(), kind: v.kind };
  if (v.password) body.password = v.password;
  if (v.kind === "customer") {
    if (v.organizationId) body.organizationId = v.organizationId;
  } else {
    body.admin = v.admin;
    if (v.roleIds.length) body.roleIds = v.roleIds;
  }
  return body;
}

/** Only what changed, plus the version it was edited from. */
function updateBody(user: User, v: Values): UserUpdate | null {
  const body: UserUpdate = { version: user.version };
  if (v.name.trim() !== user.name) body.name = v.name.trim();
  if (v.email.trim().toLowerCase() !== user.email.toLowerCase()) body.email = v.email.trim();
  if (v.password) body.password = v.password;
  if (v.active !== user.active) body.active = v.active;
  if (user.kind === "customer" && v.organizationId !== user.organizationId) body.organizationId = v.organizationId;
  if (user.kind === "agent") {
    if (v.admin !== user.admin) body.admin = v.admin;
    if (!sameIds(v.roleIds, user.roleIds)) body.roleIds = v.roleIds;
  }
  return Object.keys(body).length > 1 ? body : null;
}

export function UserForm(props: { user: User | null; onDone: () => void; onReload: () => Promise<void> }) {
  const { user, onDone, onReload } = props;
  const queryClient = useQueryClient();
  const [values, setValues] = useState(() => initialValues(user));
  const [errors, setErrors] = useState<FieldErrors>({});
  const readOnly = user !== null && !user.abilities.update;

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };

  const mutation = useMutation({
    mutationFn: async (): Promise<{ saved: User | null; message: string }> => {
      if (!user) {
        const saved = await createUser(createBody(values));
        return { saved, message: `${saved.name} was added.` };
      }
      const body = updateBody(user, values);
      if (!body) return { saved: null, message: "Nothing to save." };
      const saved = await updateUser(user.id, body);
      const message =
        body.active === false
          ? `${saved.name} was deactivated.`
          : body.active === true
            ? `${saved.name} was reactivated.`
            : `${saved.name} was saved.`;
      return { saved, message };
    },
    onSuccess: async ({ saved, message }) => {
      if (saved) await queryClient.invalidateQueries({ queryKey: keys.users });
      notifySuccess(message);
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "user",
        fields: ["name", "email", "kind", "organizationId", "password", "admin", "active", "roleIds"],
        setFieldErrors: setErrors,
        onConflict: user ? onReload : undefined,
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(values, !user);
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={user ? `Edit ${user.name}` : "New user"}>
      <Stack gap="md">
        {readOnly && (
          <Text fz="sm" c="dimmed">
            You may look at this user but not change them.
          </Text>
        )}
        <TextInput
          label="Name"
          required
          value={values.name}
          onChange={(e) => set("name", e.currentTarget.value)}
          error={errors.name}
          disabled={readOnly}
          data-autofocus
        />
        <TextInput
          label="E-mail"
          type="email"
          required
          value={values.email}
          onChange={(e) => set("email", e.currentTarget.value)}
          error={errors.email}
          disabled={readOnly}
        />
        {user ? (
          <Group gap="xs">
            <Input.Label component="div">Kind</Input.Label>
            <Badge variant="light" color={user.kind === "agent" ? "indigo" : "grape"}>
              {user.kind === "agent" ? "Agent" : "Customer"}
            </Badge>
          </Group>
        ) : (
          <Input.Wrapper
            id="user-kind"
            label="Kind"
            labelElement="div"
            description="Agents work in the workspace; customers use the portal"
            error={errors.kind}
          >
            <SegmentedControl
              aria-labelledby="user-kind-label"
              fullWidth
              mt={4}
              value={values.kind}
              onChange={(v) => set("kind", v as UserKind)}
              data={[
                { value: "agent", label: "Agent" },
                { value: "customer", label: "Customer" },
              ]}
            />
          </Input.Wrapper>
        )}
        {values.kind === "customer" && (
          <OrganizationSelect
            value={values.organizationId}
            onChange={(v) => set("organizationId", v)}
            error={errors.organizationId}
          />
        )}
        {values.kind === "agent" && (
          <>
            <RoleMultiSelect
              value={values.roleIds}
              onChange={(v) => set("roleIds", v)}
              error={errors.roleIds}
              description="What this agent may do, in addition to their groups' roles"
            />
            <Switch
              label="Administrator"
              description="Full access to every setting, user and record"
              checked={values.admin}
              onChange={(e) => set("admin", e.currentTarget.checked)}
              error={errors.admin}
              disabled={readOnly}
            />
          </>
        )}
        <PasswordInput
          label={user ? "New password" : "Password"}
          description={
            user ? "Leave empty to keep the current password" : "At least 12 characters. Leave empty to set one later."
          }
          autoComplete="new-password"
          value={values.password}
          onChange={(e) => set("password", e.currentTarget.value)}
          error={errors.password}
          disabled={readOnly}
        />
        {user && (
          <Switch
            label="Active"
            description={values.active ? "This user can log in" : "This user cannot log in and is hidden from pickers"}
            checked={values.active}
            onChange={(e) => set("active", e.currentTarget.checked)}
            error={errors.active}
            disabled={readOnly}
            color="teal"
          />
        )}
      </Stack>
      {!readOnly && (
        <FormActions onCancel={onDone} submitLabel={user ? "Save" : "Create user"} loading={mutation.isPending} />
      )}
    </form>
  );
}
