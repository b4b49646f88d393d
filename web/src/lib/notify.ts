import { notifications } from "@mantine/notifications";
import { isApiError } from "../api/client.ts";

/** The sentence to show a person for an error. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 403) return error.problem.detail ?? "You are not allowed to do that.";
    return error.problem.detail ?? error.problem.title;
  }
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}

export function notifyError(error: unknown, title = "Something went wrong"): void {
  notifications.show({ color: "red", title, message: errorMessage(error), autoClose: 8000 });
}

export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: "teal", title, message, autoClose: 4000 });
}
