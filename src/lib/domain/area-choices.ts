/**
 * Areas as ChoicePicker options: the chip shows the name in the reader's script with its P-code,
 * the browser's list offers both names and the code, and either name typed alone picks the area.
 * (The contact form and the users page build the same shape inline.)
 */
import { isolateLtr } from './bidi.ts';

export interface AreaChoiceSource {
	pcode: string;
	name_en: string;
	name_ar: string | null;
}

export function areaChoices(areas: AreaChoiceSource[], arabicScript: boolean) {
	return areas.map((a) => {
		const name = arabicScript && a.name_ar ? a.name_ar : a.name_en;
		// in right-to-left text a Latin code is isolated, or its closing bracket lands on the wrong side
		const code = arabicScript ? isolateLtr(a.pcode) : a.pcode;
		return {
			value: a.pcode,
			label: `${name} (${code})`,
			text: `${a.name_en}${a.name_ar ? ` · ${a.name_ar}` : ''} (${a.pcode})`,
			names: [a.name_en, a.name_ar]
		};
	});
}
