// Map export (PNG, PDF and print of the map view).
export const mapexport = {
	'mapx.export': 'Export',
	'mapx.title': 'Title',
	'mapx.defaultTitle': 'Incident map',
	'mapx.made': 'Made {at}',
	'mapx.filters': 'Filters',
	'mapx.period': '{from} – {to}',
	'mapx.since': 'from {from}',
	'mapx.until': 'until {to}',
	'mapx.allDates': 'all dates',
	'mapx.allTypes': 'all incident types',
	'mapx.layers': 'Layers',
	'mapx.sources': 'Sources',
	'mapx.incidentSource': 'incidents and sites: {org} (Terrain)',
	'mapx.north': 'N',
	'mapx.busy': 'Preparing the export…'
};
