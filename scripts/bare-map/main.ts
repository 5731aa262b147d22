// B5's peer: maplibre with a background-only style, and deck.gl's ScatterplotLayer drawing the
// incidents from points.json ([id, lon, lat, event_type, fatalities], as /api/v1/map/incidents
// sends them), fetched at once, in parallel with maplibre's start. The colours and alpha are the
// app's, over the app's fill of Iraq, so that one pixel test finds the incidents on both pages.
import { Map } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { ScatterplotLayer } from '@deck.gl/layers';
import { EVENT_TYPE_COLOURS } from '../../src/lib/domain/taxonomy.ts';

type Point = [string, number, number, keyof typeof EVENT_TYPE_COLOURS, number];

const map = new Map({
	container: 'map',
	style: {
		version: 8,
		sources: {},
		layers: [{ id: 'land', type: 'background', paint: { 'background-color': 'rgb(251,250,248)' } }]
	},
	bounds: [38.6, 28.9, 48.9, 37.5],
	fitBoundsOptions: { padding: 16 },
	attributionControl: false
});
map.addControl(
	new MapLibreOverlay({
		layers: [
			new ScatterplotLayer<Point>({
				id: 'incidents',
				data: fetch('./points.json').then((r) => r.json()),
				getPosition: (p) => [p[1], p[2]],
				getFillColor: (p) => [...(EVENT_TYPE_COLOURS[p[3]] ?? [120, 120, 120]), 200],
				radiusUnits: 'pixels',
				getRadius: 4
			})
		]
	})
);
