import type { common as en } from '../en/common.ts';

// Sorani Kurdish (ckb, Arabic script) for the shell: app name, navigation, roles, errors.
export const common = {
	'app.name': 'Terrain',
	'app.tagline': 'دۆخی ئاسایش بۆ تیمە مرۆییەکان',
	'nav.map': 'نەخشە',
	'nav.admin': 'بەکارهێنەران',
	'nav.account': 'هەژمارەکەم',
	'nav.sign_out': 'چوونەدەرەوە',
	'nav.language': 'زمان',
	// Language names stay in their own language, as in the switcher of every catalogue.
	'lang.en': 'English',
	'lang.ar': 'العربية',
	'lang.ku': 'کوردی',
	'common.close': 'داخستن',
	'common.save': 'پاشەکەوتکردن',
	'common.cancel': 'هەڵوەشاندنەوە',
	'common.loading': 'بارکردن…',
	'common.none': 'هیچ',
	'common.yes': 'بەڵێ',
	'common.no': 'نەخێر',
	'common.sample': 'تۆماری نموونە',
	'common.sample_hint': 'بۆ نمایشکردن دروستکراوە: هیچ سەرچاوەیەکی گشتی بۆ ئەم جۆرە تۆمارە نییە.',
	'common.error': 'هەڵەیەک ڕوویدا: {message}',
	'common.source': 'سەرچاوە',
	'role.admin': 'بەڕێوەبەر',
	'role.analyst': 'شیکەرەوە',
	'role.field': 'کارمەندی مەیدانی',
	'role.viewer': 'بینەر',
	'error.not_found': 'نەدۆزرایەوە',
	'error.forbidden': 'دەستت بەم پەڕەیە ناگات.',
	'error.generic': 'هەڵەیەک ڕوویدا.'
} satisfies Partial<Record<keyof typeof en, string>>;
