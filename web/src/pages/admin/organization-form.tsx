import { Stack, Switch, TagsInput, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Organization, OrganizationUpdate } from "../../../../common/identity.ts";
import { createOrganization, updateOrganization } from "../../api/identity.ts";
import { keys } from "../../api/queries.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { FormActions } from "./form-drawer.tsx";
import { sameIds } from "./use-editor.ts";

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function OrganizationForm(props: {
  org: Organization | null;
  onDone: () => void;
  onReload: () => Promise<void>;
}) {
  const { org, onDone, onReload } = props;
  const queryClient = useQueryClient();
  const [name, setName] = useState(org?.name ?? "");
  const [domains, setDomains] = useState<string[]>(org?.domains ?? []);
  const [active, setActive] = useState(org?.active ?? true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const readOnly = org !== null && !org.abilities.update;

  const mutation = useMutation({
    mutationFn: async () => {
      if (!org) return createOrganization({ name: name.trim(), domains });
      const body: OrganizationUpdate = { version: org.version };
      if (name.trim() !== org.name) body.name = name.trim();
      if (!sameIds(domains, org.domains)) body.domains = domains;
      if (active !== org.active) body.active = active;
      return Object.keys(body).length > 1 ? updateOrganization(org.id, body) : null;
    },
    onSuccess: async (saved) => {
      if (saved) await queryClient.invalidateQueries({ queryKey: keys.organizations });
      notifySuccess(saved ? `${saved.name} was saved.` : "Nothing to save.");
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "organization",
        fields: ["name", "domains", "active"],
        setFieldErrors: setErrors,
        onConflict: org ? onReload : undefined,
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!name.trim()) found.name = "Enter a name";
    const bad = domains.find((d) => !DOMAIN.test(d));
    if (bad) found.domains = `“${bad}” is not a domain name like example.com`;
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={org ? `Edit ${org.name}` : "New organization"}>
      <Stack gap="md">
        {readOnly && (
          <Text fz="sm" c="dimmed">
            You may look at this organization but not change it.
          </Text>
        )}
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setErrors(({ name: _, ...rest }) => rest);
          }}
          error={errors.name}
          disabled={readOnly}
          data-autofocus
        />
        <TagsInput
          label="E-mail domains"
          description="Domains this organization's people write from, e.g. example.com. Press Enter after each."
          placeholder={domains.length ? undefined : "example.com"}
          value={domains}
          onChange={(v) => {
            setDomains(v.map((d) => d.trim().toLowerCase()).filter(Boolean));
            setErrors(({ domains: _, ...rest }) => rest);
          }}
          splitChars={[",", " ", ";"]}
          clearable
          error={errors.domains}
          disabled={readOnly}
        />
        {org && (
          <Switch
            label="Active"
            description={active ? "Customers can be added to this organization" : "Hidden from pickers"}
            checked={active}
            onChange={(e) => setActive(e.currentTarget.checked)}
            error={errors.active}
            disabled={readOnly}
            color="teal"
          />
        )}
      </Stack>
      {!readOnly && (
        <FormActions
          onCancel={onDone}
          submitLabel={org ? "Save" : "Create organization"}
          loading={mutation.isPending}
        />
      )}
    </form>
  );
}
