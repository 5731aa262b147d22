export const signin = {
	'signin.locked': 'محاولات دخول فاشلة كثيرة. حاول مرة أخرى بعد {minutes} دقيقة.',
	'signin.revoke_tokens_on_change': 'إلغاء جميع رموز API الخاصة بي أيضاً (موصى به)',
	'signin.token_days': 'صالح لمدة (أيام)',
	'signin.token_days_invalid': 'اختر عدداً صحيحاً من الأيام بين 1 و366.',
	'signin.token_expires': 'ينتهي',
	'signin.token_valid_until': 'صالح حتى {date}.',
	'signin.token_expired': 'منتهي الصلاحية',
	'signin.tokens_revoke_all': 'إلغاء جميع رموزي',
	'signin.tokens_revoke_all_confirm':
		'إلغاء جميع رموز API الخاصة بك؟ ستتوقف البرامج التي تستخدمها عن العمل.',
	'signin.tokens_revoked_n': 'رموز API الملغاة: {n}.',
	'signin.enable': 'تفعيل',
	'signin.enabled_ok': 'يمكن لـ {email} تسجيل الدخول مجدداً.',
	'signin.role_for': 'دور {email}',
	'signin.role_save': 'تغيير الدور',
	'signin.role_saved': 'أصبح دور {email} الآن: {role}.',
	'signin.cannot_change_self': 'لا يمكنك تغيير دورك أو تعطيل حسابك.',
	'signin.user_tokens_revoke': 'إلغاء رموز API',
	'signin.user_tokens_revoke_confirm': 'إلغاء جميع رموز API الخاصة بـ {email}؟',
	'signin.user_tokens_revoked': 'رموز API الملغاة لـ {email}: {n}.'
};
