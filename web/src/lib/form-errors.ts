import { notifications } from "@mantine/notifications";
import { isApiError } from "../api/client.ts";
import { notifyError } from "./notify.ts";

export type FieldErrors = Record<string, string>;

export interface SaveErrorHandlers {
  /** What is being saved, for messages: "user", "organization". */
  noun: string;
  setFieldErrors: (errors: FieldErrors) => void;
  /** Fields the form shows; an error about any other field goes into a notification instead. */
  fields: readonly string[];
  /** Reload the record after a stale-version 409 so the form shows what someone else saved (updates only). */
  onConflict?: () => void | Promise<void>;
  /** Keep whole paths ("hours.1.start") for forms that show errors beside rows; otherwise the root field. */
  paths?: boolean;
}

/**
 * Field errors go beside their fields; a stale version (409) reloads the record
 * and says why; anything else becomes a notification.
 */
export function handleSaveError(error: unknown, handlers: SaveErrorHandlers): void {
  const { noun, setFieldErrors, onConflict, fields, paths = false } = handlers;
  if (onConflict && isStaleVersion(error)) {
    notifications.show({
      color: "yellow",
      title: `This ${noun} was changed by someone else`,
      message: `Someone saved a newer version while you were editing. The latest version is loaded now — check it and make your change again.`,
      autoClose: 10000,
    });
    void onConflict();
    return;
  }
  if (isApiError(error)) {
    const errors = error.fieldErrors();
    if (Object.keys(errors).length > 0) {
      const shown: FieldErrors = {};
      const other: string[] = [];
      for (const [field, message] of Object.entries(errors)) {
        const root = field.split(".")[0] ?? field;
        if (fields.includes(root)) shown[paths ? field : root] ??= message;
        else other.push(`${field}: ${message}`);
      }
      setFieldErrors(shown);
      if (other.length > 0) {
        notifications.show({ color: "red", title: `Could not save the ${noun}`, message: other.join("; ") });
      }
      return;
    }
  }
  notifyError(error, `Could not save the ${noun}`);
}

/** A 409 about the record's version, as opposed to one about a field (a taken e-mail address, say). */
function isStaleVersion(error: unknown): boolean {
  if (!isApiError(error, 409)) return false;
  const fields = Object.keys(error.fieldErrors());
  if (fields.includes("version")) return true;
  if (fields.length > 0) return false;
  const { detail = "" } = error.problem;
  return /version|changed by someone/i.test(detail);
}

/** Client-side checks that mirror the server's, so the obvious mistakes show before a round trip. */
export function validatePassword(password: string, required: boolean): string | undefined {
  if (!password) return required ? "Enter a password" : undefined;
  if (password.length < 12) return "Must be at least 12 characters";
  return undefined;
}

/** The error for `path` or for anything inside it ("pauseOn.1" also finds "pauseOn.1.state"). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const key = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return key ? errors[key] : undefined;
}

/** Errors without `root` and anything inside it: dropped when that field or list changes. */
export function withoutErrors(errors: FieldErrors, root: string): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([k]) => k !== root && !k.startsWith(`${root}.`)));
}
