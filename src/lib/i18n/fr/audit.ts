export const audit = {
	'audit.history.withheld': 'masqué',
	'audit.history.withheld_hint':
		'Les textes antérieurs qui ont été remplacés, et les valeurs de la période où l’incident ne vous était pas accessible, ne sont pas affichés.'
};
