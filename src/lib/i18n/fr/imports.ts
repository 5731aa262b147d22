export const imports = {
	'imports.encoding': 'Encodage du texte',
	'imports.encoding.auto': 'Détecter automatiquement',
	'imports.encoding.utf-8': 'UTF-8 (Unicode)',
	'imports.encoding.utf-16le': 'UTF-16 (« Texte Unicode » d’Excel)',
	'imports.encoding.utf-16be': 'UTF-16 gros-boutiste',
	'imports.encoding.windows-1256': 'Windows arabe (Windows-1256)',
	'imports.encoding.windows-1252': 'Windows occidental (Windows-1252)',
	'imports.encoding.iso-8859-1': 'Occidental (Latin-1)',
	'imports.dates': 'Les dates comme 03/04/2024 sont écrites',
	'imports.dates.auto': 'Comme le montre le fichier (demander en cas de doute)',
	'imports.dates.dmy': 'Jour d’abord (3 avril 2024)',
	'imports.dates.mdy': 'Mois d’abord (4 mars 2024)',
	'imports.dates.ask':
		'Certaines dates peuvent se lire jour d’abord ou mois d’abord, et rien dans le fichier ne permet de trancher. Choisissez comment les dates sont écrites, puis vérifiez à nouveau le fichier.',
	'imports.dates.read': 'Les dates ont été lues {order}.',
	'imports.dates.read.dmy': 'jour d’abord',
	'imports.dates.read.mdy': 'mois d’abord',
	'imports.status': 'Statut des nouveaux incidents',
	'imports.status.auto': 'Celui qu’indique le fichier (ACLED et UCDP : vérifié)',
	'imports.status.reported': 'Signalé',
	'imports.status.verified': 'Vérifié',
	'imports.source.needed':
		'Nommez la source de ce fichier avant de l’importer. Ses identifiants sont conservés sous ce nom : le fichier du mois prochain de la même source mettra ces incidents à jour au lieu de les ajouter une seconde fois.',
	'imports.source.placeholder': 'p. ex. suivi-partenaire',
	'imports.dry':
		'Essai à blanc : {read} lignes lues. L’import ajouterait {inserted}, mettrait à jour {updated} et laisserait {unchanged} inchangées ; {skipped} lignes posent problème. Rien n’a été écrit.',
	'imports.placement':
		'Où vont les lignes : {point} à leurs propres coordonnées, {admin3} à un sous-district, {admin2} à un district, {admin1} au seul gouvernorat — sur {points} points distincts.',
	'imports.partial':
		'Import partiel : {inserted} nouvelles, {updated} mises à jour, {unchanged} inchangées. {skipped} lignes en erreur ont été écartées — téléchargez-les ci-dessous.',
	'imports.values': 'Valeurs de la colonne « {column} »',
	'imports.values.intro':
		'Ces valeurs ne sont pas des types d’événements connus de Terrain. Choisissez ce que chacune signifie ; vos choix sont mémorisés pour votre prochain fichier comportant cette colonne.',
	'imports.values.value': 'Valeur dans le fichier',
	'imports.values.rows': 'Lignes',
	'imports.values.maps_to': 'Type d’événement',
	'imports.values.unmapped': '(laisser comme problème)',
	'imports.values.mapped': 'Valeurs associées',
	'imports.seen.same_file':
		'Ce fichier a déjà été importé ({date}, sous le nom « {file} », source « {source} »).',
	'imports.check_again': 'Vérifier à nouveau avec ces choix'
};
