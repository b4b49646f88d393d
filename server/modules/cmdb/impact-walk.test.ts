import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ImpactGraph, pathTo, type RedundancyGroup, walk } from "./impact-walk.ts";

/** An in-memory graph: `edges` are the directions impact travels. */
function memoryGraph(edges: [string, string][], groups: RedundancyGroup[] = []): ImpactGraph {
  return {
    async next(frontier) {
      const f = new Set(frontier);
      return edges.filter(([from]) => f.has(from));
    },
    async groupsOf(members) {
      const m = new Set(members);
      return groups.filter((g) => g.memberIds.some((x) => m.has(x)));
    },
  };
}

/** The oracle: plain breadth-first distances. */
function distances(edges: [string, string][], starts: string[], maxDepth: number): Map<string, number> {
  const dist = new Map(starts.map((s) => [s, 0]));
  let frontier = [...starts];
  for (let d = 1; d <= maxDepth; d++) {
    const next: string[] = [];
    for (const [a, b] of edges) {
      if (frontier.includes(a) && !dist.has(b)) {
        dist.set(b, d);
        next.push(b);
      }
    }
    frontier = next;
  }
  return dist;
}

const node = fc.integer({ min: 0, max: 14 }).map((n) => `n${n}`);
const graphArb = fc.record({
  edges: fc.array(fc.tuple(node, node), { maxLength: 60 }),
  starts: fc.uniqueArray(node, { minLength: 1, maxLength: 3 }),
  depth: fc.integer({ min: 1, max: 6 }),
});

describe("impact walk", () => {
  it("reaches exactly the CIs within the depth, each at its shortest distance, along real edges", async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, async ({ edges, starts, depth }) => {
        const { reached, truncated } = await walk(memoryGraph(edges), starts, {
          maxDepth: depth,
          maxNodes: 1000,
          redundancy: false,
        });
        expect(truncated).toBe(false);
        const oracle = distances(edges, starts, depth);
        expect(new Map([...reached].map(([id, r]) => [id, r.depth]))).toEqual(oracle);
        const edgeSet = new Set(edges.map(([a, b]) => `${a}>${b}`));
        for (const [id, r] of reached) {
          const path = pathTo(reached, id);
          expect(path.length).toBe(r.depth + 1);
          expect(starts).toContain(path[0]);
          for (let i = 1; i < path.length; i++) expect(edgeSet.has(`${path[i - 1]}>${path[i]}`)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("redundancy never widens the impact, and a group with no minimum beyond its size never holds", async () => {
    await fc.assert(
      fc.asyncProperty(
        graphArb,
        fc.uniqueArray(node, { minLength: 2, maxLength: 4 }),
        node,
        async ({ edges, starts, depth }, members, owner) => {
          fc.pre(!members.includes(owner));
          const withEdges: [string, string][] = [...edges, ...members.map((m): [string, string] => [m, owner])];
          const plain = await walk(memoryGraph(withEdges), starts, {
            maxDepth: depth,
            maxNodes: 1000,
            redundancy: false,
          });
          const group = { id: "g", ownerId: owner, memberIds: members, minUp: 1, minPercent: null };
          const redundant = await walk(memoryGraph(withEdges, [group]), starts, {
            maxDepth: depth,
            maxNodes: 1000,
            redundancy: true,
          });
          for (const id of redundant.reached.keys()) expect(plain.reached.has(id)).toBe(true);
          // minUp = members + 1 can never be met: the group holds nothing back.
          const never = { ...group, minUp: members.length + 1 };
          const open = await walk(memoryGraph(withEdges, [never]), starts, {
            maxDepth: depth,
            maxNodes: 1000,
            redundancy: true,
          });
          expect([...open.reached.keys()].sort()).toEqual([...plain.reached.keys()].sort());
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a service behind two redundant servers survives one failing and falls with both", async () => {
    const edges: [string, string][] = [
      ["a", "svc"],
      ["b", "svc"],
      ["switch", "a"],
    ];
    const group = { id: "g", ownerId: "svc", memberIds: ["a", "b"], minUp: 1, minPercent: null };
    const opts = { maxDepth: 5, maxNodes: 100, redundancy: true };
    const one = await walk(memoryGraph(edges, [group]), ["switch"], opts);
    expect([...one.reached.keys()].sort()).toEqual(["a", "switch"]);
    const both = await walk(memoryGraph(edges, [group]), ["switch", "b"], opts);
    expect(both.reached.get("svc")).toEqual({ depth: 2, parent: "a" });
    const percent = { ...group, minUp: null, minPercent: 50 };
    expect((await walk(memoryGraph(edges, [percent]), ["a"], opts)).reached.has("svc")).toBe(false);
  });

  it("stops at the node limit and says so", async () => {
    const edges = Array.from({ length: 50 }, (_, i): [string, string] => ["hub", `leaf${i}`]);
    const { reached, truncated } = await walk(memoryGraph(edges), ["hub"], {
      maxDepth: 3,
      maxNodes: 10,
      redundancy: false,
    });
    expect(truncated).toBe(true);
    expect(reached.size).toBe(10);
  });
});
