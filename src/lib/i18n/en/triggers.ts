// Contingency-plan triggers bound to live data, on a plan's screen (/contingency/[base]/[kind]).
export const triggers = {
	'triggers.title': 'Triggers',
	'triggers.intro':
		'Conditions on live data under which this plan should be put into effect. When one becomes met, analysts and admins get one alert.',
	'triggers.none': 'No triggers yet.',
	'triggers.kind': 'Trigger',
	'triggers.kind.area_level': 'An area’s security level reaches a level',
	'triggers.kind.incidents_near': 'Serious incidents near the base',
	'triggers.kind.checkpoint_closed': 'A checkpoint closes',
	'triggers.describe.area_level': 'Security level of {area} at {level} or higher',
	'triggers.describe.incidents_near':
		'{k} or more serious incidents within {r} km of {where} in {d} days',
	'triggers.describe.checkpoint_closed': 'Checkpoint {name} closed',
	'triggers.the_base': 'the base',
	'triggers.a_point': '{lat}, {lon}',
	'triggers.met': 'Met since {when}',
	'triggers.not_met': 'Not met',
	'triggers.pcode': 'Area P-code',
	'triggers.level': 'Level (1–5)',
	'triggers.min_incidents': 'At least this many serious incidents',
	'triggers.radius_km': 'Within (km)',
	'triggers.days': 'In the last (days)',
	'triggers.checkpoint': 'Checkpoint',
	'triggers.add': 'Add trigger',
	'triggers.remove': 'Remove',
	'triggers.added': 'Trigger added.'
};
