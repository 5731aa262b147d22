// The community profile of an area (population, IDPs, composition, …) on the area page.
export const community = {
	'community.title': 'Community profile',
	'community.source': 'Population source',
	'community.date': 'Population date',
	'community.notes': 'Notes (Markdown)',
	'community.languagesHint': 'Languages (ISO codes, comma-separated: ar, ckb, kmr, syr)',
	'community.save': 'Save the community profile',
	'community.saved': 'Community profile saved.',
	'community.history': 'Changes',
	'community.none': 'No community profile recorded yet.',
	'community.updated': 'Last changed by {who}, {at}'
};
