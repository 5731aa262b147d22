// Export de la carte (PNG, PDF et impression de la vue).
export const mapexport = {
	'mapx.export': 'Exporter',
	'mapx.title': 'Titre',
	'mapx.defaultTitle': 'Carte des incidents',
	'mapx.made': 'Réalisée le {at}',
	'mapx.filters': 'Filtres',
	'mapx.period': '{from} – {to}',
	'mapx.since': 'depuis le {from}',
	'mapx.until': 'jusqu’au {to}',
	'mapx.allDates': 'toutes les dates',
	'mapx.allTypes': 'tous les types d’incident',
	'mapx.layers': 'Couches',
	'mapx.sources': 'Sources',
	'mapx.incidentSource': 'incidents et sites : {org} (Terrain)',
	'mapx.north': 'N',
	'mapx.busy': 'Préparation de l’export…'
};
