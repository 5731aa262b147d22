export const signin = {
	'signin.locked': 'Trop de connexions échouées. Réessayez dans {minutes} min.',
	'signin.revoke_tokens_on_change': 'Révoquer aussi tous mes jetons d’API (recommandé)',
	'signin.token_days': 'Valable (jours)',
	'signin.token_days_invalid': 'Choisissez un nombre entier de jours entre 1 et 366.',
	'signin.token_expires': 'Expire le',
	'signin.token_valid_until': 'Valable jusqu’au {date}.',
	'signin.token_expired': 'Expiré',
	'signin.tokens_revoke_all': 'Révoquer tous mes jetons',
	'signin.tokens_revoke_all_confirm':
		'Révoquer tous vos jetons d’API ? Les scripts qui les utilisent cesseront de fonctionner.',
	'signin.tokens_revoked_n': 'Jetons d’API révoqués : {n}.',
	'signin.enable': 'Réactiver',
	'signin.enabled_ok': '{email} peut de nouveau se connecter.',
	'signin.role_for': 'Rôle de {email}',
	'signin.role_save': 'Changer de rôle',
	'signin.role_saved': '{email} a désormais le rôle {role}.',
	'signin.cannot_change_self':
		'Vous ne pouvez ni changer votre propre rôle ni vous désactiver vous-même.',
	'signin.user_tokens_revoke': 'Révoquer les jetons d’API',
	'signin.user_tokens_revoke_confirm': 'Révoquer tous les jetons d’API de {email} ?',
	'signin.user_tokens_revoked': 'Jetons d’API de {email} révoqués : {n}.'
};
