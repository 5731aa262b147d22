/**
 * Choropleth maths: area outlines projected to SVG paths with d3-geo, filled by a count. d3-geo
 * reads polygons on the sphere, where a ring's winding says which side is inside (clockwise =
 * the exterior ring, in screen terms); GeoJSON from PostGIS follows no fixed rule, and a ring the
 * wrong way round fills the whole world. So every ring is put in d3's order first.
 */
import {
	geoMercator,
	geoPath,
	interpolateOrRd,
	scaleSequentialSqrt,
	type ScaleSequential
} from 'd3';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

/** Twice the signed area of a ring in lon/lat (positive = counter-clockwise). */
export function ringArea(ring: Position[]): number {
	let s = 0;
	for (let i = 0, n = ring.length; i < n - 1; i++)
		s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
	return s;
}

/** Exterior rings clockwise, holes counter-clockwise: what d3-geo expects. */
export function d3Winding<G extends Polygon | MultiPolygon>(g: G): G {
	const fix = (rings: Position[][]) =>
		rings.map((r, i) => {
			const ccw = ringArea(r) > 0;
			return (i === 0 ? ccw : !ccw) ? [...r].reverse() : r;
		});
	if (g.type === 'Polygon') return { ...g, coordinates: fix(g.coordinates) };
	return { ...g, coordinates: g.coordinates.map(fix) };
}

export interface ChoroplethShape {
	pcode: string;
	d: string;
	value: number;
	fill: string;
	/** Where to put a label (the projected centroid). */
	cx: number;
	cy: number;
}

export interface Choropleth {
	shapes: ChoroplethShape[];
	colour: ScaleSequential<string>;
	max: number;
}

type AreaProps = { pcode: string };

export function choropleth(
	areas: FeatureCollection<Polygon | MultiPolygon, AreaProps>,
	values: Map<string, number>,
	size: { width: number; height: number }
): Choropleth | null {
	const features = areas.features
		.filter((f) => f.geometry && values.has(f.properties.pcode))
		.map((f) => ({ ...f, geometry: d3Winding(f.geometry) })) as Feature<
		Polygon | MultiPolygon,
		AreaProps
	>[];
	if (!features.length) return null;
	const fc: FeatureCollection<Polygon | MultiPolygon, AreaProps> = {
		type: 'FeatureCollection',
		features
	};
	const projection = geoMercator().fitExtent(
		[
			[4, 4],
			[size.width - 4, size.height - 4]
		],
		fc
	);
	const path = geoPath(projection);
	const max = Math.max(1, ...features.map((f) => values.get(f.properties.pcode) ?? 0));
	const colour = scaleSequentialSqrt(interpolateOrRd).domain([0, max]);
	const shapes = features.map((f) => {
		const value = values.get(f.properties.pcode) ?? 0;
		const [cx, cy] = path.centroid(f);
		return {
			pcode: f.properties.pcode,
			d: path(f) ?? '',
			value,
			fill: value > 0 ? colour(value) : '#f1f3f2',
			cx,
			cy
		};
	});
	return { shapes, colour, max };
}
