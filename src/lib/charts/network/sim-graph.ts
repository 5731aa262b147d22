/**
 * The force layout's nodes and edges for a filtered graph. Positions are remembered across
 * rebuilds (a filter change, a date step) so that nodes already on screen stay where they were
 * and only new ones are placed, on a sunflower spiral so they start spread out.
 */
import type { FilteredGraph } from '../../domain/actors-graph.ts';
import type { SimEdge, SimNode } from './draw.ts';

export class LayoutMemory {
	#at = new Map<string, { x: number; y: number }>();
	get(id: string) {
		return this.#at.get(id);
	}
	/** The share of these nodes whose position is already known (0–1). */
	known(nodes: readonly SimNode[]): number {
		return nodes.filter((n) => this.#at.has(n.id)).length / Math.max(1, nodes.length);
	}
	remember(nodes: readonly SimNode[]): void {
		for (const n of nodes) this.#at.set(n.id, { x: n.x, y: n.y });
	}
}

export function simGraph(
	g: FilteredGraph,
	memory: LayoutMemory
): { nodes: SimNode[]; edges: SimEdge[] } {
	const degree = new Map<string, number>();
	for (const e of g.edges) {
		degree.set(e.source, (degree.get(e.source) ?? 0) + 1);
		degree.set(e.target, (degree.get(e.target) ?? 0) + 1);
	}
	const byId = new Map<string, SimNode>();
	const nodes = g.nodes.map((n, i) => {
		const p = memory.get(n.id);
		const a = i * 2.399963;
		const r = 10 * Math.sqrt(i + 1);
		const node: SimNode = {
			id: n.id,
			name: n.name,
			type: n.type,
			stance: n.stance,
			x: p?.x ?? Math.cos(a) * r,
			y: p?.y ?? Math.sin(a) * r,
			degree: degree.get(n.id) ?? 0
		};
		byId.set(n.id, node);
		return node;
	});
	const edges = g.edges
		.filter((e) => byId.has(e.source) && byId.has(e.target))
		.map((e) => ({
			id: e.id,
			source: byId.get(e.source)!,
			target: byId.get(e.target)!,
			kind: e.kind,
			directed: e.directed,
			weight: e.weight
		}));
	return { nodes, edges };
}
