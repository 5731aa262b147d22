import type { en } from '../en/index.ts';

export const fuzz: Partial<Record<keyof typeof en, string>> = {
	'fuzz.field.sensitive_location':
		'موقع حساس: لا يرى المشاهدون وموظفو الميدان من خارج هذه المنطقة إلا مكانًا تقريبيًا',
	'fuzz.approximate':
		'موقع تقريبي: معروض في مركز منطقته أو على شبكة تقريبية، وليس في المكان الدقيق',
	'fuzz.error.analysts_only': 'لا يحدده إلا المحللون والمسؤولون',
	'fuzz.error.boolean': 'يجب أن تكون القيمة صحيحة أو خاطئة'
};
