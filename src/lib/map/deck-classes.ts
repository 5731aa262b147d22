// The deck.gl layer classes the map draws with, and only those: `import('@deck.gl/layers')` as a
// whole would bring every layer (columns, grid cells, point clouds, bitmaps …) to the first map.
export {
	ArcLayer,
	GeoJsonLayer,
	IconLayer,
	PathLayer,
	PolygonLayer,
	ScatterplotLayer,
	SolidPolygonLayer
} from '@deck.gl/layers';
