import type { fuzz as en } from '../en/fuzz.ts';

// Location fuzzing, in Sorani.
export const fuzz = {
	'fuzz.field.sensitive_location':
		'شوێنی هەستیار: بینەران و ستافی مەیدانی لە دەرەوەی ئەم ناوچەیە تەنها شوێنێکی نزیکەیی دەبینن',
	'fuzz.approximate':
		'شوێنی نزیکەیی: لە ناوەڕاستی ناوچەکەی یان لەسەر تۆڕێکی گشتی پیشان دەدرێت، نەک لە شوێنی ورد',
	'fuzz.error.analysts_only': 'تەنها شیکەرەوەکان و بەڕێوەبەران دەتوانن دیاری بکەن',
	'fuzz.error.boolean': 'دەبێت ڕاست یان هەڵە بێت'
} satisfies Record<keyof typeof en, string>;
