/**
 * Canvas drawing of the actor network. SVG with 2,000 nodes and 10,000 edges redraws too slowly
 * while the force layout runs; one canvas path per edge colour and one pass over the nodes keeps
 * each frame to a few milliseconds.
 */
import {
	KIND_COLOURS,
	STANCE_COLOURS,
	typeFamily,
	type EdgeKind,
	type Stance
} from '../../domain/actors.ts';

export interface SimNode {
	id: string;
	name: string;
	type: string;
	stance: string;
	x: number;
	y: number;
	vx?: number;
	vy?: number;
	fx?: number | null;
	fy?: number | null;
	degree: number;
}

export interface SimEdge {
	id: string;
	source: SimNode;
	target: SimNode;
	kind: EdgeKind;
	directed: boolean;
	weight: number;
}

export interface View {
	x: number;
	y: number;
	k: number;
}

export function nodeRadius(n: SimNode): number {
	return 3 + Math.min(9, Math.sqrt(n.degree) * 1.5);
}

function shape(ctx: CanvasRenderingContext2D, family: string, x: number, y: number, r: number) {
	switch (family) {
		case 'armed': // triangle
			ctx.moveTo(x, y - r * 1.15);
			ctx.lineTo(x + r, y + r * 0.8);
			ctx.lineTo(x - r, y + r * 0.8);
			ctx.closePath();
			break;
		case 'state': // square
			ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
			break;
		case 'intl': // diamond
			ctx.moveTo(x, y - r * 1.2);
			ctx.lineTo(x + r * 1.2, y);
			ctx.lineTo(x, y + r * 1.2);
			ctx.lineTo(x - r * 1.2, y);
			ctx.closePath();
			break;
		default:
			ctx.moveTo(x + r, y);
			ctx.arc(x, y, r, 0, Math.PI * 2);
	}
}

export function drawNetwork(
	ctx: CanvasRenderingContext2D,
	width: number,
	height: number,
	nodes: readonly SimNode[],
	edges: readonly SimEdge[],
	view: View,
	opts: {
		selected?: string | null;
		hover?: string | null;
		highlight?: ReadonlySet<string>;
		hop?: Map<string, number> | null;
		labels: boolean;
	}
) {
	const dpr = ctx.canvas.width / width;
	ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
	ctx.clearRect(0, 0, width, height);
	ctx.translate(view.x, view.y);
	ctx.scale(view.k, view.k);

	// Edges, batched by kind: one stroke() per colour.
	const byKind = new Map<EdgeKind, SimEdge[]>();
	for (const e of edges) (byKind.get(e.kind) ?? byKind.set(e.kind, []).get(e.kind)!).push(e);
	// Big networks: no dashes, thinner, lighter lines (software canvas strokes dashes slowly).
	const big = edges.length > 2000;
	ctx.globalAlpha = big ? 0.3 : 0.7;
	for (const [kind, es] of byKind) {
		ctx.strokeStyle = KIND_COLOURS[kind] ?? '#999';
		ctx.lineWidth = (big ? 0.8 : kind === 'confronted' ? 1.5 : 1.2) / view.k;
		if (kind === 'confronted' && !big) ctx.setLineDash([4 / view.k, 3 / view.k]);
		else ctx.setLineDash([]);
		ctx.beginPath();
		for (const e of es) {
			ctx.moveTo(e.source.x, e.source.y);
			ctx.lineTo(e.target.x, e.target.y);
		}
		ctx.stroke();
		// Heavier confrontations get a thicker overlay, so weight reads at a glance.
		if (kind === 'confronted') {
			for (const e of es) {
				if (e.weight < 10) continue;
				ctx.lineWidth = Math.min(8, Math.log10(e.weight) * 2) / view.k;
				ctx.beginPath();
				ctx.moveTo(e.source.x, e.source.y);
				ctx.lineTo(e.target.x, e.target.y);
				ctx.stroke();
			}
		}
	}
	ctx.setLineDash([]);
	// Arrowheads for directed relationships (only when few enough to be read).
	if (edges.length < 3000) {
		for (const e of edges) {
			if (!e.directed) continue;
			const dx = e.target.x - e.source.x;
			const dy = e.target.y - e.source.y;
			const len = Math.hypot(dx, dy) || 1;
			const r = nodeRadius(e.target) + 2;
			const tx = e.target.x - (dx / len) * r;
			const ty = e.target.y - (dy / len) * r;
			const a = 6 / view.k;
			ctx.fillStyle = KIND_COLOURS[e.kind] ?? '#999';
			ctx.beginPath();
			ctx.moveTo(tx, ty);
			ctx.lineTo(
				tx - (dx / len) * a - (dy / len) * a * 0.5,
				ty - (dy / len) * a + (dx / len) * a * 0.5
			);
			ctx.lineTo(
				tx - (dx / len) * a + (dy / len) * a * 0.5,
				ty - (dy / len) * a - (dx / len) * a * 0.5
			);
			ctx.closePath();
			ctx.fill();
		}
	}
	ctx.globalAlpha = 1;

	// Nodes: one path per (stance colour, dimmed) so a frame is a handful of fill() calls.
	const manyNodes = nodes.length > 800;
	const groups = new Map<string, SimNode[]>();
	for (const n of nodes) {
		const dim = !!opts.highlight && opts.highlight.size > 0 && !opts.highlight.has(n.id);
		const key = `${n.stance}|${dim ? 1 : 0}`;
		(groups.get(key) ?? groups.set(key, []).get(key)!).push(n);
	}
	for (const [key, ns] of groups) {
		const [stance, dim] = key.split('|');
		ctx.globalAlpha = dim === '1' ? 0.25 : 1;
		ctx.fillStyle = STANCE_COLOURS[stance as Stance] ?? STANCE_COLOURS.unknown;
		ctx.beginPath();
		for (const n of ns) shape(ctx, typeFamily(n.type), n.x, n.y, nodeRadius(n) / Math.sqrt(view.k));
		ctx.fill();
		if (!manyNodes) {
			ctx.strokeStyle = '#fff';
			ctx.lineWidth = 1 / view.k;
			ctx.stroke();
		}
	}
	ctx.globalAlpha = 1;
	const sel = opts.selected ? nodes.find((n) => n.id === opts.selected) : undefined;
	if (sel) {
		ctx.strokeStyle = '#111';
		ctx.lineWidth = 3 / view.k;
		ctx.beginPath();
		shape(ctx, typeFamily(sel.type), sel.x, sel.y, nodeRadius(sel) / Math.sqrt(view.k));
		ctx.stroke();
	}

	// Labels: the focus neighbourhood, search hits, the hovered node, or everything when zoomed in.
	ctx.font = `${12 / view.k}px 'Noto Sans', 'Noto Sans Arabic', sans-serif`;
	ctx.fillStyle = '#1d2521';
	ctx.strokeStyle = 'rgba(255,255,255,0.85)';
	ctx.lineWidth = 3 / view.k;
	for (const n of nodes) {
		const show =
			opts.labels ||
			n.id === opts.hover ||
			n.id === opts.selected ||
			opts.highlight?.has(n.id) ||
			(opts.hop && opts.hop.has(n.id));
		if (!show) continue;
		const x = n.x + (nodeRadius(n) + 3) / view.k;
		ctx.strokeText(n.name, x, n.y + 4 / view.k);
		ctx.fillText(n.name, x, n.y + 4 / view.k);
	}
}
