export const auth = {
	'auth.sign_in': 'Se connecter',
	'auth.email': 'Adresse e-mail',
	'auth.password': 'Mot de passe',
	'auth.failed': 'Adresse e-mail ou mot de passe incorrect.',
	'auth.missing': 'Saisissez votre adresse e-mail et votre mot de passe.',
	'auth.signed_in_as': 'Connecté en tant que {email}',
	'auth.sensitive_notice':
		'Ce système contient des informations sensibles. Déconnectez-vous sur les ordinateurs partagés.',
	'auth.change_password': 'Changer votre mot de passe',
	'auth.must_change':
		'Vous vous êtes connecté avec un mot de passe à usage unique. Choisissez votre propre mot de passe pour continuer.',
	'auth.current_password': 'Mot de passe actuel',
	'auth.new_password': 'Nouveau mot de passe (12 caractères au moins)',
	'auth.confirm_password': 'Nouveau mot de passe, à nouveau',
	'auth.current_wrong': 'Le mot de passe actuel est incorrect.',
	'auth.mismatch': 'Les deux nouveaux mots de passe diffèrent.',
	'auth.same_password': 'Choisissez un mot de passe différent de l’actuel.',
	password_too_short: 'Utilisez au moins 12 caractères.',
	password_too_long: 'Utilisez au plus 512 caractères.'
};
