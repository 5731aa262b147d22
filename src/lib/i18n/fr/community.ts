// Le profil communautaire d’une zone (population, PDI, composition, …) sur la page de la zone.
export const community = {
	'community.title': 'Profil communautaire',
	'community.source': 'Source de la population',
	'community.date': 'Date de la population',
	'community.notes': 'Remarques (Markdown)',
	'community.languagesHint': 'Langues (codes ISO séparés par des virgules : ar, ckb, kmr, syr)',
	'community.save': 'Enregistrer le profil communautaire',
	'community.saved': 'Profil communautaire enregistré.',
	'community.history': 'Modifications',
	'community.none': 'Aucun profil communautaire enregistré pour le moment.',
	'community.updated': 'Dernière modification par {who}, {at}'
};
