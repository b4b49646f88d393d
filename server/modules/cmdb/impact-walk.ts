/**
 * The impact walk: breadth first from the CIs that fail (or, upstream, from
 * the CI whose needs are asked), level by level, so every CI is reached at its
 * shortest depth with one shortest path. Cycle-safe (each CI once) and bounded
 * by depth and by a node limit.
 *
 * Redundancy: a CI that owns a redundancy group stays up while enough of the
 * group's members are up; an edge from a member to its owner carries the
 * failure only once the group has fallen below its minimum. Every reached
 * member is expanded in some level, so the member that tips the group is the
 * one whose edge reaches the owner.
 */

export interface RedundancyGroup {
  id: string;
  ownerId: string;
  memberIds: readonly string[];
  minUp: number | null;
  minPercent: number | null;
}

export interface ImpactGraph {
  /** Edges along which impact travels out of `frontier`, as [from, to]. */
  next(frontier: readonly string[]): Promise<[string, string][]>;
  /** The redundancy groups having any of `members` as a member. */
  groupsOf(members: readonly string[]): Promise<RedundancyGroup[]>;
}

export interface Reached {
  depth: number;
  parent: string | null;
}

export function requiredUp(g: RedundancyGroup): number {
  if (g.minUp !== null) return g.minUp;
  return Math.ceil(((g.minPercent ?? 100) * g.memberIds.length) / 100);
}

export async function walk(
  graph: ImpactGraph,
  starts: readonly string[],
  opts: { maxDepth: number; maxNodes: number; redundancy: boolean },
): Promise<{ reached: Map<string, Reached>; truncated: boolean }> {
  const reached = new Map<string, Reached>();
  for (const s of starts) reached.set(s, { depth: 0, parent: null });
  const groupsByMember = new Map<string, RedundancyGroup[]>();
  const loaded = new Set<string>();
  const tipped = (g: RedundancyGroup) => {
    const failed = g.memberIds.filter((m) => reached.has(m)).length;
    return g.memberIds.length - failed < requiredUp(g);
  };
  let frontier = [...reached.keys()];
  let truncated = false;
  for (let depth = 1; depth <= opts.maxDepth && frontier.length > 0 && !truncated; depth++) {
    if (opts.redundancy) {
      const fresh = frontier.filter((id) => !loaded.has(id));
      for (const id of fresh) loaded.add(id);
      for (const g of fresh.length ? await graph.groupsOf(fresh) : []) {
        for (const m of g.memberIds) {
          const list = groupsByMember.get(m) ?? [];
          if (!list.some((x) => x.id === g.id)) list.push(g);
          groupsByMember.set(m, list);
        }
      }
    }
    const edges = await graph.next(frontier);
    // Deterministic: the same graph gives the same paths.
    edges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    const next: string[] = [];
    for (const [from, to] of edges) {
      if (reached.has(to)) continue;
      if (opts.redundancy) {
        const holding = (groupsByMember.get(from) ?? []).filter((g) => g.ownerId === to);
        if (holding.length > 0 && !holding.some(tipped)) continue;
      }
      reached.set(to, { depth, parent: from });
      next.push(to);
      if (reached.size >= opts.maxNodes) {
        truncated = true;
        break;
      }
    }
    frontier = next;
  }
  return { reached, truncated };
}

/** The path from a start to `id`, following parents. */
export function pathTo(reached: ReadonlyMap<string, Reached>, id: string): string[] {
  const path: string[] = [];
  let at: string | null = id;
  while (at !== null) {
    path.push(at);
    at = reached.get(at)?.parent ?? null;
  }
  return path.reverse();
}
