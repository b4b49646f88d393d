import { type RefObject, useEffect, useRef } from "react";

export interface ListKeyHandlers {
  /** Off while a drawer or dialog is open. */
  enabled: boolean;
  onSearch: () => void;
  onCreate?: (() => void) | undefined;
  onHelp: () => void;
}

function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/** The row links (`data-row-link`) inside `container`, and the index of the one that has focus. */
function rows(container: HTMLElement): { links: HTMLElement[]; current: number } {
  const links = [...container.querySelectorAll<HTMLElement>("[data-row-link]")];
  const active = document.activeElement;
  return { links, current: links.findIndex((l) => l === active || l.closest("tr")?.contains(active)) };
}

/**
 * Work-list shortcuts: j / ↓ and k / ↑ move between rows (focus moves to the row's link, so Enter
 * opens it), "/" focuses the search box, "c" creates, "?" shows the help. Typing in a field is left alone.
 */
export function useListKeys(container: RefObject<HTMLElement | null>, handlers: ListKeyHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const h = latest.current;
      if (!h.enabled || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isEditable(event.target)) return;
      const root = container.current;
      const arrow = event.key === "ArrowDown" || event.key === "ArrowUp";
      // Arrows belong to whatever has focus (menus, tabs, buttons) unless that is a row or nothing.
      const active = document.activeElement;
      const free = !active || active === document.body || active.id === "main" || !!root?.contains(active);
      if (arrow && !free) return;
      let handled = true;
      if (event.key === "j" || event.key === "ArrowDown" || event.key === "k" || event.key === "ArrowUp") {
        if (!root) return;
        const { links, current } = rows(root);
        if (links.length === 0) return;
        const step = event.key === "j" || event.key === "ArrowDown" ? 1 : -1;
        const next = current < 0 ? 0 : Math.min(links.length - 1, Math.max(0, current + step));
        links[next]?.focus();
        links[next]?.closest("tr")?.scrollIntoView({ block: "nearest" });
      } else if (event.key === "/") {
        h.onSearch();
      } else if (event.key === "c" && h.onCreate) {
        h.onCreate();
      } else if (event.key === "?") {
        h.onHelp();
      } else {
        handled = false;
      }
      if (handled) event.preventDefault();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [container]);
}
