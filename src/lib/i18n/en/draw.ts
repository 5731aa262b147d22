// Drawing on a map (src/lib/map/draw), the proximity screen's map and the actor presence editor.
export const draw = {
	'draw.toolbar': 'Drawing tools',
	'draw.mode': 'Draw',
	'draw.mode.point': 'Point',
	'draw.mode.line': 'Line',
	'draw.mode.polygon': 'Area',
	'draw.undo': 'Undo',
	'draw.finish': 'Finish',
	'draw.clear': 'Clear',
	'draw.hint.point': 'Click the map to place the point.',
	'draw.hint.start.line': 'Click the map to start the line.',
	'draw.hint.start.polygon': 'Click the map to place the first corner of the area.',
	'draw.hint.more.line':
		'{n} points. Click to add more; double-click, Enter or Finish ends the line.',
	'draw.hint.more.polygon':
		'{n} corners. Click to add more; click the first corner, double-click, Enter or Finish closes the area.',
	'draw.hint.done': 'Drawn. Undo to change it, Clear (Escape) to start again.',
	'draw.invalid.empty': 'Draw on the map, or paste coordinates, first.',
	'draw.invalid.too_few': 'Too few points: this needs at least {min} different points.',
	'draw.invalid.self_intersecting':
		'The area crosses itself: undo or redraw the corners so that no two edges cross.',
	'draw.invalid.no_area': 'The area has no surface: its corners lie on one line.',
	'draw.invalid.not_geojson':
		'These coordinates are not GeoJSON: expected a geometry such as {"type": "Point", "coordinates": [43.13, 36.34]} (longitude first).',
	'draw.invalid.unsupported':
		'Only a point, a line or an area (or their Multi- forms) can be used.',
	'draw.invalid.out_of_range':
		'Coordinates must be longitude, latitude in degrees, longitude first.',
	'draw.paste': 'Or paste coordinates (GeoJSON)',
	'draw.paste_hint':
		'A GeoJSON geometry or Feature, longitude first. What you draw is written here too.',
	'draw.proximity.map': 'Map of the search area and the incidents found',
	'draw.proximity.preview':
		'Shaded: {km} km around it (a preview; the database measures the distance).',
	'draw.proximity.show': 'Show {place} on the map',
	'draw.proximity.legend.incident': 'Incident found',
	'draw.presence.map': 'Map of where the actor is present',
	'draw.presence.legend': 'Presence areas',
	'draw.presence.how': 'Add presence as',
	'draw.presence.by_area': 'An admin area',
	'draw.presence.by_drawing': 'An area drawn on the map',
	'draw.presence.find': 'Find an area by name or P-code',
	'draw.presence.area': 'Area',
	'draw.presence.matches': '{n} areas match',
	'draw.presence.label': 'Label',
	'draw.presence.add': 'Add presence',
	'draw.presence.saved': 'Presence added.',
	'draw.presence.removed': 'Presence removed.'
};
