/**
 * Power–interest grid maths: d3 scales place each actor in its influence × interest cell, and
 * actors sharing a cell are spread on a small spiral around its centre so none hides another.
 * The Svelte component only draws what this returns.
 */
import { scaleLinear } from 'd3';

export interface PiActor {
	id: string;
	name: string;
	stance: string;
	influence: number;
	interest: number;
}

export interface PiPoint extends PiActor {
	x: number;
	y: number;
}

export interface PiLayout {
	width: number;
	height: number;
	margin: { top: number; right: number; bottom: number; left: number };
	points: PiPoint[];
	/** Tick positions 1..5 on each axis. */
	xTicks: { v: number; x: number }[];
	yTicks: { v: number; y: number }[];
	/** The mid lines that split the grid into the four classic quadrants. */
	midX: number;
	midY: number;
}

export function powerInterestLayout(
	actors: readonly PiActor[],
	width: number,
	height: number
): PiLayout {
	const margin = { top: 16, right: 16, bottom: 44, left: 52 };
	const x = scaleLinear()
		.domain([0.5, 5.5])
		.range([margin.left, width - margin.right]);
	const y = scaleLinear()
		.domain([0.5, 5.5])
		.range([height - margin.bottom, margin.top]);
	const cellW = x(1.5) - x(0.5);
	const cellH = y(0.5) - y(1.5);
	const groups = new Map<string, PiActor[]>();
	for (const a of actors) {
		const k = `${a.interest}:${a.influence}`;
		(groups.get(k) ?? groups.set(k, []).get(k)!).push(a);
	}
	const points: PiPoint[] = [];
	for (const g of groups.values()) {
		const sorted = [...g].sort((a, b) => a.name.localeCompare(b.name));
		const step = Math.min(cellW, cellH) / (2.5 + Math.sqrt(sorted.length));
		sorted.forEach((a, i) => {
			// Golden-angle spiral: even spread, stable for a given membership.
			const r = i === 0 ? 0 : step * Math.sqrt(i);
			const th = i * 2.399963;
			points.push({
				...a,
				x: x(a.interest) + r * Math.cos(th),
				y: y(a.influence) + r * Math.sin(th)
			});
		});
	}
	const ticks = [1, 2, 3, 4, 5];
	return {
		width,
		height,
		margin,
		points,
		xTicks: ticks.map((v) => ({ v, x: x(v) })),
		yTicks: ticks.map((v) => ({ v, y: y(v) })),
		midX: x(3),
		midY: y(3)
	};
}
