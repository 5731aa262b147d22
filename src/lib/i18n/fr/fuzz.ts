export const fuzz = {
	'fuzz.field.sensitive_location':
		'Lieu sensible : les lecteurs et le personnel de terrain extérieurs à cette zone ne voient qu’un lieu approximatif',
	'fuzz.approximate':
		'Lieu approximatif : affiché au centre de sa zone ou sur une grille grossière, pas à l’endroit exact',
	'fuzz.error.analysts_only': 'seuls les analystes et les administrateurs peuvent le définir',
	'fuzz.error.boolean': 'doit valoir true ou false'
};
