import { Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Group, GroupUpdate } from "../../../../common/identity.ts";
import { createGroup, updateGroup } from "../../api/identity.ts";
import { keys } from "../../api/queries.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { AgentMultiSelect, RoleMultiSelect } from "./entity-selects.tsx";
import { FormActions } from "./form-drawer.tsx";
import { sameIds } from "./use-editor.ts";

export function GroupForm(props: { group: Group | null; onDone: () => void; onReload: () => Promise<void> }) {
  const { group, onDone, onReload } = props;
  const queryClient = useQueryClient();
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [signature, setSignature] = useState(group?.signature ?? "");
  const [memberIds, setMemberIds] = useState<string[]>(group?.memberIds ?? []);
  const [roleIds, setRoleIds] = useState<string[]>(group?.roleIds ?? []);
  const [active, setActive] = useState(group?.active ?? true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const readOnly = group !== null && !group.abilities.update;
  const clear = (field: string) => setErrors(({ [field]: _, ...rest }) => rest);

  const mutation = useMutation({
    mutationFn: async () => {
      if (!group) return createGroup({ name: name.trim(), description, signature, memberIds, roleIds });
      const body: GroupUpdate = { version: group.version };
      if (name.trim() !== group.name) body.name = name.trim();
      if (description !== group.description) body.description = description;
      if (signature !== group.signature) body.signature = signature;
      if (!sameIds(memberIds, group.memberIds)) body.memberIds = memberIds;
      if (!sameIds(roleIds, group.roleIds)) body.roleIds = roleIds;
      if (active !== group.active) body.active = active;
      return Object.keys(body).length > 1 ? updateGroup(group.id, body) : null;
    },
    onSuccess: async (saved) => {
      if (saved) await queryClient.invalidateQueries({ queryKey: keys.groups });
      notifySuccess(saved ? `${saved.name} was saved.` : "Nothing to save.");
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "group",
        fields: ["name", "description", "signature", "memberIds", "roleIds", "active"],
        setFieldErrors: setErrors,
        onConflict: group ? onReload : undefined,
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setErrors({ name: "Enter a name" });
      return;
    }
    setErrors({});
    mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={group ? `Edit ${group.name}` : "New group"}>
      <Stack gap="md">
        {readOnly && (
          <Text fz="sm" c="dimmed">
            You may look at this group but not change it.
          </Text>
        )}
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            clear("name");
          }}
          error={errors.name}
          disabled={readOnly}
          data-autofocus
        />
        <Textarea
          label="Description"
          description="What this team does, shown to agents who pick a group"
          autosize
          minRows={2}
          maxRows={6}
          value={description}
          onChange={(e) => {
            setDescription(e.currentTarget.value);
            clear("description");
          }}
          error={errors.description}
          disabled={readOnly}
        />
        <Textarea
          label="E-mail signature"
          description="Plain text added under e-mail replies sent for this group"
          placeholder={"Kind regards,\nThe service desk"}
          autosize
          minRows={3}
          maxRows={8}
          maxLength={4000}
          value={signature}
          onChange={(e) => {
            setSignature(e.currentTarget.value);
            clear("signature");
          }}
          error={errors.signature}
          disabled={readOnly}
        />
        <AgentMultiSelect
          value={memberIds}
          onChange={(v) => {
            setMemberIds(v);
            clear("memberIds");
          }}
          error={errors.memberIds}
        />
        <RoleMultiSelect
          value={roleIds}
          onChange={(v) => {
            setRoleIds(v);
            clear("roleIds");
          }}
          error={errors.roleIds}
          description="Every member gets these roles' permissions"
        />
        {group && (
          <Switch
            label="Active"
            description={active ? "The group can be assigned work" : "Hidden from pickers"}
            checked={active}
            onChange={(e) => setActive(e.currentTarget.checked)}
            error={errors.active}
            disabled={readOnly}
            color="teal"
          />
        )}
      </Stack>
      {!readOnly && (
        <FormActions onCancel={onDone} submitLabel={group ? "Save" : "Create group"} loading={mutation.isPending} />
      )}
    </form>
  );
}
