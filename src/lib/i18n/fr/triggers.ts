// Déclencheurs des plans d’urgence liés aux données en direct, sur l’écran d’un plan.
export const triggers = {
	'triggers.title': 'Déclencheurs',
	'triggers.intro':
		'Conditions sur les données en direct qui doivent faire appliquer ce plan. Quand l’une est remplie, analystes et administrateurs reçoivent une alerte.',
	'triggers.none': 'Aucun déclencheur pour l’instant.',
	'triggers.kind': 'Déclencheur',
	'triggers.kind.area_level': 'Le niveau de sécurité d’une zone atteint un niveau',
	'triggers.kind.incidents_near': 'Incidents graves près de la base',
	'triggers.kind.checkpoint_closed': 'Un checkpoint ferme',
	'triggers.describe.area_level': 'Niveau de sécurité de {area} à {level} ou plus',
	'triggers.describe.incidents_near':
		'{k} incidents graves ou plus à moins de {r} km de {where} en {d} jours',
	'triggers.describe.checkpoint_closed': 'Checkpoint {name} fermé',
	'triggers.the_base': 'la base',
	'triggers.a_point': '{lat}, {lon}',
	'triggers.met': 'Rempli depuis {when}',
	'triggers.not_met': 'Non rempli',
	'triggers.pcode': 'P-code de la zone',
	'triggers.level': 'Niveau (1–5)',
	'triggers.min_incidents': 'Au moins ce nombre d’incidents graves',
	'triggers.radius_km': 'À moins de (km)',
	'triggers.days': 'Sur les derniers (jours)',
	'triggers.checkpoint': 'Point de contrôle',
	'triggers.add': 'Ajouter le déclencheur',
	'triggers.remove': 'Retirer',
	'triggers.added': 'Déclencheur ajouté.'
};
