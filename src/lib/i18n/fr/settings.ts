/** La page des paramètres d'administration (issue 9). */
export const settings = {
	'nav.settings': 'Paramètres',
	'settings.title': 'Paramètres',
	'settings.intro':
		"Ces paramètres s'appliquent à tous. Chaque modification est conservée dans le journal d'audit.",
	'settings.history': 'Historique des modifications',
	'settings.operating_area': "Zone d'opération",
	'settings.operating_area_help':
		"Un lieu signalé hors de ces pays et de la marge autour d'eux doit être confirmé par la personne qui le signale, à qui l'on indique dans quel pays il se trouve.",
	'settings.countries': 'Pays (codes ISO à trois lettres, séparés par des virgules)',
	'settings.countries_help': 'Par exemple IRQ, SYR.',
	'settings.in_force': 'Actuellement : {names}',
	'settings.buffer_km': 'Marge au-delà des frontières (km)',
	'settings.registries': 'Registres',
	'settings.checkpoint_stale_days': 'Un point de contrôle est signalé comme ancien après (jours)',
	'settings.checkpoint_stale_days_help': 'Jours écoulés depuis sa dernière vérification.',
	'settings.site_match_m':
		'Réimportation : un site du même nom est considéré comme le même dans un rayon de (mètres)',
	'settings.site_match_m_help':
		"Un site réimporté sans identifiant de sa source met à jour le site du même nom situé à cette distance ou moins, au lieu d'en ajouter un second.",
	'settings.save': 'Enregistrer les paramètres',
	'settings.saved': 'Paramètres enregistrés.',
	'settings.unchanged': 'Rien à enregistrer : ces paramètres étaient déjà en vigueur.',
	'settings.has_errors': "Rien n'a été enregistré. Corrigez les champs signalés ci-dessous.",
	'settings.error.countries':
		'Saisissez un ou plusieurs codes de pays à trois lettres (ISO 3166), par exemple IRQ, SYR.',
	'settings.error.buffer_km': 'Saisissez un nombre de kilomètres entre 0 et 500.',
	'settings.error.checkpoint_stale_days': 'Saisissez un nombre entier de jours entre 1 et 365.',
	'settings.error.site_match_m': 'Saisissez un nombre de mètres entre 0 et 20 000.',
	'settings.documents': 'Documents',
	'settings.document_classification': 'Mention de classification',
	'settings.document_classification_help':
		'Imprimée en tête des rapports de situation, du registre des risques, des évaluations et des cartes exportées, avant le nom de l’organisation. Vide : la mention habituelle (« Diffusion restreinte ») dans la langue du lecteur.',
	'settings.error.document_classification': '100 caractères au plus.',
	// the admin page of detailed basemaps
	'nav.basemaps': 'Fonds de carte',
	'basemaps.title': 'Fonds de carte détaillés',
	'basemaps.intro':
		'Des cartes vectorielles hors ligne, avec routes et villages, que les utilisateurs peuvent choisir sur la carte : un fichier PMTiles ou MBTiles au schéma Protomaps ou OpenMapTiles. Rien n’est chargé depuis Internet pour eux. Un style en ligne peut aussi être proposé (plus bas).',
	'basemaps.cli':
		'Les fichiers de plusieurs centaines de Mo s’ajoutent plutôt sur le serveur : terrain basemap add FICHIER.',
	'basemaps.none':
		'Aucun fond de carte détaillé pour l’instant : la carte utilise le fond intégré.',
	'basemaps.name': 'Nom',
	'basemaps.kind': 'Type',
	'basemaps.zooms': 'Niveaux de zoom',
	'basemaps.size': 'Taille',
	'basemaps.added': 'Ajouté le',
	'basemaps.remove': 'Retirer',
	'basemaps.remove_confirm':
		'Retirer le fond de carte « {name} » ? Les utilisateurs qui l’avaient choisi reviennent au fond intégré.',
	'basemaps.add': 'Ajouter un fond de carte',
	'basemaps.file': 'Fichier PMTiles ou MBTiles',
	'basemaps.name_optional': 'Nom (facultatif : le nom du fichier)',
	'basemaps.submit': 'Ajouter',
	'basemaps.adding': 'Envoi de {size}…',
	'basemaps.added_ok': '« {name} » ajouté : les utilisateurs peuvent le choisir sur la carte.',
	'basemaps.removed_ok': '« {name} » retiré.',
	'basemaps.pick_file': 'Choisissez d’abord un fichier.',
	'basemaps.online_add': 'Ajouter un fond de carte en ligne',
	'basemaps.online_intro':
		'Un style MapLibre sur un autre serveur (l’URL de son JSON de style). Les navigateurs des utilisateurs ne contactent ce serveur que s’ils choisissent ce fond ; le fond intégré reste celui par défaut et fonctionne hors ligne.',
	'basemaps.online_url': 'URL du style',
	'basemaps.online_name': 'Nom (facultatif : le nom du style lui-même)',
	'basemaps.online_checking': 'Lecture du style…',
	'basemaps.online_kind': 'Style en ligne'
};
