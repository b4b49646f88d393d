import { INVENTORY_CATEGORIES, type InventoryCategory, type NormalizedInventory } from "./types.ts";

/**
 * Applies a partial inventory (a GLPI agent's `partial: true`: only the
 * categories that changed) to the previous one: every category in
 * `partial.present` is replaced (and cleared when the partial has no value for
 * it), every other category is kept. A full inventory's `present` lists all it
 * carried, so merging one replaces all of those.
 */
export function mergeInventory(previous: NormalizedInventory, partial: NormalizedInventory): NormalizedInventory {
  const replaced = new Set(partial.present);
  const merged: NormalizedInventory = { present: [] };
  for (const category of INVENTORY_CATEGORIES) {
    copy(merged, replaced.has(category) ? partial : previous, category);
  }
  const present = new Set([...previous.present, ...partial.present]);
  merged.present = INVENTORY_CATEGORIES.filter((category) => present.has(category));
  return merged;
}

function copy<K extends InventoryCategory>(target: NormalizedInventory, source: NormalizedInventory, key: K): void {
  const value = source[key];
  if (value !== undefined) target[key] = structuredClone(value);
}
