import type { en } from '../en/index.ts';

// Sorani Kurdish: the navigation is translated; the rest falls back to English until a
// translator reviews it (a wrong security term is worse than an English one).
export const ku: Partial<Record<keyof typeof en, string>> = {
	'nav.map': 'نەخشە',
	'nav.admin': 'بەکارهێنەران',
	'nav.account': 'هەژمارەکەم',
	'nav.sign_out': 'چوونەدەرەوە',
	'nav.language': 'زمان',
	'auth.sign_in': 'چوونەژوورەوە',
	'auth.email': 'ئیمەیڵ',
	'auth.password': 'وشەی نهێنی',
	'map.title': 'نەخشە',
	'map.layers': 'چینەکان',
	'map.layer.incidents': 'ڕووداوەکان',
	'map.layer.health': 'دامەزراوە تەندروستییەکان',
	'map.layer.camps': 'کەمپەکانی ئاوارەکان',
	'map.layer.checkpoints': 'خاڵەکانی پشکنین',
	'map.from': 'لە',
	'map.to': 'بۆ'
};
