// The map's time slider, overlays and rate shading (issue 13).
export const maptools = {
	'map.time.title': 'Time slider',
	'map.time.open': 'Time slider',
	'map.time.close': 'Close the time slider',
	'map.time.window': 'Step by',
	'map.time.window.day': 'Day',
	'map.time.window.week': 'Week',
	'map.time.window.month': 'Month',
	'map.time.window.quarter': 'Quarter',
	'map.time.window.year': 'Year',
	'map.time.position': 'Period shown',
	'map.time.prev': 'Previous period',
	'map.time.next': 'Next period',
	'map.time.play': 'Play',
	'map.time.pause': 'Pause',
	'map.time.speed': 'Speed',
	'map.time.speed.slow': 'Slow',
	'map.time.speed.normal': 'Normal',
	'map.time.speed.fast': 'Fast',
	'map.time.quarter': 'Q{q} {year}',
	'map.time.step_of': 'Step {index} of {count}',
	'map.time.no_range': 'No dated incidents to step through.'
};
