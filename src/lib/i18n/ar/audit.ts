import type { en } from '../en/index.ts';

export const audit: Partial<Record<keyof typeof en, string>> = {
	'audit.history.withheld': 'محجوب',
	'audit.history.withheld_hint':
		'لا تُعرض النصوص السابقة التي استُبدلت، ولا القيم من الفترة التي لم يكن يحق لك فيها الاطلاع على الحادث.'
};
