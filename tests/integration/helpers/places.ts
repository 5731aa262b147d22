// The places the spatial-filter tests share: Baghdad, Dohuk, a polygon around Mosul and the road
// from Mosul to Dohuk (GeoJSON, lon/lat).
export const BAGHDAD = { lat: 33.315, lon: 44.366 };
export const DOHUK = { lat: 36.867, lon: 42.988 };
export const MOSUL_BOX = {
	type: 'Polygon',
	coordinates: [
		[
			[42.9, 36.2],
			[43.4, 36.2],
			[43.4, 36.5],
			[42.9, 36.5],
			[42.9, 36.2]
		]
	]
};
export const ROAD = {
	type: 'LineString',
	coordinates: [
		[43.13, 36.34],
		[43.05, 36.55],
		[42.99, 36.86]
	]
};
