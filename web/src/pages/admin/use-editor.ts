import { useDisclosure } from "@mantine/hooks";
import { useCallback, useState } from "react";
import { notifyError } from "../../lib/notify.ts";

export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

/** Which record the drawer edits (null: a new one), and a key that remounts the form on a fresh copy. */
export function useEditor<T extends { id: string }>(fetchOne: (id: string) => Promise<T>) {
  const [opened, { open, close }] = useDisclosure(false);
  const [record, setRecord] = useState<T | null>(null);
  const [formKey, setFormKey] = useState(0);

  const show = useCallback(
    (next: T | null) => {
      setRecord(next);
      setFormKey((k) => k + 1);
      open();
    },
    [open],
  );

  const reload = useCallback(async () => {
    if (!record) return;
    try {
      show(await fetchOne(record.id));
    } catch (error) {
      notifyError(error, "Could not reload");
    }
  }, [record, fetchOne, show]);

  return { opened, record, formKey, openNew: () => show(null), openEdit: show, reload, close };
}
