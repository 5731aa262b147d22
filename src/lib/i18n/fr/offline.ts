/** Travail hors ligne (ticket 14) : bandeau hors ligne, boîte d'envoi, mode « données réduites ». */
export const offline = {
	'offline.banner': 'Hors ligne — données du {time}',
	'offline.banner_unknown': 'Hors ligne — affichage des données gardées sur cet appareil',
	'offline.outbox': "Boîte d'envoi ({count})",
	'offline.outbox.title': "Boîte d'envoi",
	'offline.outbox.intro':
		'Rapports et pointages saisis sur cet appareil. Ils sont envoyés dans l’ordre au retour de la connexion.',
	'offline.outbox.empty': 'Rien n’attend d’être envoyé.',
	'offline.state.waiting': 'En attente d’envoi',
	'offline.state.rejected': 'Refusé par le serveur — corrigez-le et renvoyez-le',
	'offline.state.accepted': 'Accepté par le serveur',
	'offline.send_now': 'Envoyer maintenant',
	'offline.fix': 'Corriger',
	'offline.discard': 'Abandonner',
	'offline.open': 'Ouvrir',
	'offline.close': 'Fermer',
	'offline.kind.incident': 'Rapport d’incident',
	'offline.kind.movement-step': 'Départ / retour de mouvement',
	'offline.queued':
		'Enregistré sur cet appareil. Il sera envoyé au retour de la connexion — voir la boîte d’envoi.',
	'offline.confirm_discard': 'Supprimer de cet appareil cet élément non envoyé ?',
	'offline.confirm_signout':
		'{count} élément(s) n’ont pas encore été envoyés. Se déconnecter les supprime de cet appareil. Se déconnecter quand même ?',
	'offline.needs_server': 'Vous êtes hors ligne, et cet écran a besoin du serveur.',
	'offline.needs_server_hint':
		'La carte, les listes d’incidents, les zones et le formulaire de rapport fonctionnent hors ligne une fois ouverts en ligne.',
	'offline.stopped.offline': 'Pas de connexion : nouvel envoi à son retour.',
	'offline.stopped.unauthorized': 'Votre session a expiré : reconnectez-vous pour envoyer.',
	'offline.stopped.server': 'Le serveur est occupé : nouvel essai sous peu.',
	'offline.low_data': 'Données réduites',
	'offline.low_data_hint':
		'Sauter les couches facultatives de la carte (acteurs, niveaux des zones) pour économiser la bande passante'
};
