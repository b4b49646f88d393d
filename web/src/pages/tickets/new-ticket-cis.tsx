import { useQuery } from "@tanstack/react-query";
import { cmdbKeys, listCis } from "../../api/cmdb.ts";
import { getUser } from "../../api/identity.ts";
import { can, useMe } from "../../auth.tsx";
import { CiMultiSelect } from "../cmdb/ci-picker.tsx";

/**
 * Affected CIs on the new-ticket form (for agents who read the CMDB): the
 * requester's organization's CIs are offered first. Saved right after the
 * ticket is created.
 */
export function NewTicketCis(props: {
  requesterId: string | null;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) {
  const me = useMe();
  const allowed = can(me, "cmdb.read");
  const requester = useQuery({
    queryKey: ["users", "detail", props.requesterId],
    queryFn: () => getUser(props.requesterId ?? ""),
    enabled: allowed && !!props.requesterId,
    retry: false,
  });
  const orgId = requester.data?.organizationId ?? null;
  const suggested = useQuery({
    queryKey: [...cmdbKeys.cis, "organization", orgId],
    queryFn: () => listCis({ organizationId: orgId ?? undefined, limit: 50 }),
    enabled: allowed && !!orgId,
  });
  if (!allowed) return null;
  return (
    <CiMultiSelect
      id="new-ticket-cis"
      label="Affected CIs and services"
      description="What this ticket is about in the CMDB; the requester's organization's CIs come first"
      value={props.value}
      onChange={props.onChange}
      error={props.error}
      suggestions={
        suggested.data?.items.length
          ? { label: "The requester's organization", items: suggested.data.items }
          : undefined
      }
    />
  );
}
