import type { auth as en } from '../en/auth.ts';

export const auth = {
	'auth.sign_in': 'چوونەژوورەوە',
	'auth.email': 'ئیمەیڵ',
	'auth.password': 'وشەی نهێنی',
	'auth.failed': 'ئیمەیڵ یان وشەی نهێنی هەڵەیە.',
	'auth.missing': 'ئیمەیڵ و وشەی نهێنییەکەت بنووسە.',
	'auth.signed_in_as': 'چوویتە ژوورەوە وەک {email}',
	'auth.sensitive_notice':
		'ئەم سیستەمە زانیاریی هەستیاری تێدایە. لەسەر کۆمپیوتەری هاوبەش دوای کارکردن بچۆ دەرەوە.',
	'auth.change_password': 'وشەی نهێنییەکەت بگۆڕە',
	'auth.must_change':
		'بە وشەی نهێنییەکی یەکجاری چوویتە ژوورەوە. بۆ بەردەوامبوون وشەی نهێنیی خۆت هەڵبژێرە.',
	'auth.current_password': 'وشەی نهێنیی ئێستا',
	'auth.new_password': 'وشەی نهێنیی نوێ (لانیکەم 12 پیت)',
	'auth.confirm_password': 'دووبارە وشەی نهێنیی نوێ',
	'auth.current_wrong': 'وشەی نهێنیی ئێستا هەڵەیە.',
	'auth.mismatch': 'دوو وشە نهێنییە نوێیەکە وەک یەک نین.',
	'auth.same_password': 'وشەی نهێنییەک هەڵبژێرە جیاواز لە ئەوەی ئێستا.',
	password_too_short: 'لانیکەم 12 پیت بەکاربهێنە.',
	password_too_long: 'زۆرترین 512 پیت بەکاربهێنە.'
} satisfies Partial<Record<keyof typeof en, string>>;
