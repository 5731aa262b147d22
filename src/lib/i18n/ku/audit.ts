import type { en } from '../en/index.ts';

export const audit: Partial<Record<keyof typeof en, string>> = {
	'audit.history.withheld': 'شاردراوە',
	'audit.history.withheld_hint':
		'ئەو دەقانەی پێشتر گۆڕدراون، و بەهاکانی ئەو کاتەی ڕووداوەکە بۆ تۆ نەبوو، پیشان نادرێن.'
};
