/**
 * The sketch as one deck.gl layer (so it fits one map slot): the polygon's fill, its outline or
 * the line, a fainter segment to the pointer while drawing, and the vertices, the first one
 * larger on a polygon because clicking it closes the ring. Browser only: imported lazily by
 * DrawLayer.svelte, like MapView loads deck.gl.
 */
import { CompositeLayer, type DefaultProps } from '@deck.gl/core';
import { PathLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import { closeRing, type LngLat, type Sketch } from './sketch.ts';

export type Rgba = [number, number, number, number];

export interface SketchLayerProps {
	sketch: Sketch;
	hover: LngLat | null;
	/** Drawn in the warning colour: the geometry would be refused. */
	invalid: boolean;
}

export const SKETCH_INK: Rgba = [20, 24, 22, 255];
export const SKETCH_INVALID: Rgba = [200, 30, 30, 255];
export const SKETCH_FILL: Rgba = [0, 114, 178, 45];

export class SketchLayer extends CompositeLayer<SketchLayerProps> {
	static layerName = 'SketchLayer';
	static defaultProps: DefaultProps<SketchLayerProps> = {
		sketch: { type: 'object', value: { mode: 'polygon', vertices: [], done: false } },
		hover: { type: 'object', value: null },
		invalid: false
	};

	renderLayers() {
		const { sketch, hover, invalid } = this.props;
		const ink = invalid ? SKETCH_INVALID : SKETCH_INK;
		const v = sketch.vertices;
		const polygon = sketch.mode === 'polygon';
		const path: LngLat[] = polygon && sketch.done ? closeRing(v) : v;
		// The segment(s) the next click would add: from the last vertex to the pointer, and on a
		// polygon back to the first vertex too.
		const band: LngLat[] =
			!sketch.done && hover && v.length
				? polygon && v.length > 1
					? [v.at(-1)!, hover, v[0]]
					: [v.at(-1)!, hover]
				: [];
		// Always drawn over what is under it: with maplibre's depth buffer (interleaved) the flat
		// sketch would otherwise fight, triangle by triangle, with the areas at the same height.
		const common = { parameters: { depthCompare: 'always' as const } };
		return [
			new PolygonLayer<LngLat[]>({
				...common,
				id: `${this.props.id}-fill`,
				data: polygon && v.length >= 3 ? [v] : [],
				getPolygon: (d) => d,
				filled: true,
				stroked: false,
				getFillColor: invalid ? [200, 30, 30, 50] : SKETCH_FILL,
				updateTriggers: { getFillColor: invalid }
			}),
			new PathLayer<LngLat[]>({
				...common,
				id: `${this.props.id}-band`,
				data: band.length ? [band] : [],
				getPath: (d) => d,
				widthUnits: 'pixels',
				getWidth: 1.5,
				getColor: [ink[0], ink[1], ink[2], 130],
				updateTriggers: { getColor: invalid }
			}),
			new PathLayer<LngLat[]>({
				...common,
				id: `${this.props.id}-path`,
				data: path.length > 1 ? [path] : [],
				getPath: (d) => d,
				widthUnits: 'pixels',
				getWidth: 2.5,
				jointRounded: true,
				capRounded: true,
				getColor: ink,
				updateTriggers: { getColor: invalid }
			}),
			new ScatterplotLayer<{ p: LngLat; first: boolean }>({
				...common,
				id: `${this.props.id}-vertices`,
				data: v.map((p, i) => ({ p, first: i === 0 })),
				getPosition: (d) => d.p,
				radiusUnits: 'pixels',
				getRadius: (d) =>
					sketch.mode === 'point' ? 7 : d.first && polygon && !sketch.done ? 6.5 : 4.5,
				filled: true,
				getFillColor: (d) =>
					sketch.mode === 'point' || (d.first && polygon) ? ink : [255, 255, 255, 255],
				stroked: true,
				lineWidthUnits: 'pixels',
				getLineWidth: 2,
				getLineColor: (d) =>
					sketch.mode === 'point' || (d.first && polygon) ? [255, 255, 255, 255] : ink,
				updateTriggers: {
					getRadius: [sketch.mode, sketch.done],
					getFillColor: [invalid, sketch.mode],
					getLineColor: [invalid, sketch.mode]
				}
			})
		];
	}
}
