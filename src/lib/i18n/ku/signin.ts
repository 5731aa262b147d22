export const signin = {
	'signin.locked':
		'هەوڵی چوونەژوورەوەی سەرنەکەوتوو زۆرە. دوای {minutes} خولەک دووبارە هەوڵ بدەرەوە.',
	'signin.revoke_tokens_on_change': 'هەموو تۆکنەکانی API ـی منیش هەڵبوەشێنەرەوە (پێشنیارکراو)',
	'signin.token_days': 'ماوەی کارکردن (ڕۆژ)',
	'signin.token_days_invalid': 'ژمارەیەکی تەواو لە ١ تا ٣٦٦ ڕۆژ هەڵبژێرە.',
	'signin.token_expires': 'بەسەردەچێت',
	'signin.token_valid_until': 'کاردەکات تا {date}.',
	'signin.token_expired': 'بەسەرچووە',
	'signin.tokens_revoke_all': 'هەموو تۆکنەکانم هەڵبوەشێنەرەوە',
	'signin.tokens_revoke_all_confirm':
		'هەموو تۆکنەکانی API ـت هەڵدەوەشێنرێنەوە؟ ئەو پرۆگرامانەی بەکاریان دەهێنن ڕادەوەستن.',
	'signin.tokens_revoked_n': 'تۆکنە هەڵوەشێنراوەکانی API: {n}.',
	'signin.enable': 'چالاککردن',
	'signin.enabled_ok': '{email} دەتوانێت دووبارە بچێتە ژوورەوە.',
	'signin.role_for': 'ڕۆڵی {email}',
	'signin.role_save': 'گۆڕینی ڕۆڵ',
	'signin.role_saved': 'ڕۆڵی {email} ئێستا {role} ـە.',
	'signin.cannot_change_self': 'ناتوانیت ڕۆڵی خۆت بگۆڕیت یان خۆت ناچالاک بکەیت.',
	'signin.user_tokens_revoke': 'هەڵوەشاندنەوەی تۆکنەکانی API',
	'signin.user_tokens_revoke_confirm': 'هەموو تۆکنەکانی API ـی {email} هەڵبوەشێنرێنەوە؟',
	'signin.user_tokens_revoked': 'تۆکنە هەڵوەشێنراوەکانی API ـی {email}: {n}.'
};
