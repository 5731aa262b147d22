import type { en } from '../en/index.ts';

export const draw: Partial<Record<keyof typeof en, string>> = {
	'draw.toolbar': 'أدوات الرسم',
	'draw.mode': 'ارسم',
	'draw.mode.point': 'نقطة',
	'draw.mode.line': 'خط',
	'draw.mode.polygon': 'منطقة',
	'draw.undo': 'تراجع',
	'draw.finish': 'إنهاء',
	'draw.clear': 'مسح',
	'draw.hint.point': 'انقر على الخريطة لوضع النقطة.',
	'draw.hint.start.line': 'انقر على الخريطة لبدء الخط.',
	'draw.hint.start.polygon': 'انقر على الخريطة لوضع الزاوية الأولى للمنطقة.',
	'draw.hint.more.line':
		'{n} نقاط. انقر لإضافة المزيد؛ النقر المزدوج أو Enter أو «إنهاء» ينهي الخط.',
	'draw.hint.more.polygon':
		'{n} زوايا. انقر لإضافة المزيد؛ النقر على الزاوية الأولى أو النقر المزدوج أو Enter أو «إنهاء» يغلق المنطقة.',
	'draw.hint.done': 'تم الرسم. «تراجع» لتعديله، و«مسح» (Escape) للبدء من جديد.',
	'draw.invalid.empty': 'ارسم على الخريطة أو الصق الإحداثيات أولاً.',
	'draw.invalid.too_few': 'النقاط قليلة جداً: يلزم {min} نقاط مختلفة على الأقل.',
	'draw.invalid.self_intersecting':
		'المنطقة تتقاطع مع نفسها: تراجع أو أعد رسم الزوايا بحيث لا يتقاطع ضلعان.',
	'draw.invalid.no_area': 'المنطقة بلا مساحة: زواياها على خط واحد.',
	'draw.invalid.not_geojson':
		'هذه الإحداثيات ليست GeoJSON: المتوقع شكل هندسي مثل {"type": "Point", "coordinates": [43.13, 36.34]} (خط الطول أولاً).',
	'draw.invalid.unsupported': 'لا يُقبل إلا نقطة أو خط أو منطقة (أو صيغها المتعددة Multi).',
	'draw.invalid.out_of_range': 'يجب أن تكون الإحداثيات خط الطول ثم خط العرض بالدرجات.',
	'draw.paste': 'أو الصق الإحداثيات (GeoJSON)',
	'draw.paste_hint': 'شكل هندسي أو Feature بصيغة GeoJSON، خط الطول أولاً. ما ترسمه يُكتب هنا أيضاً.',
	'draw.proximity.map': 'خريطة منطقة البحث والحوادث التي وُجدت',
	'draw.proximity.preview': 'المظلل: {km} كم حوله (معاينة؛ قاعدة البيانات هي التي تقيس المسافة).',
	'draw.proximity.show': 'أظهر {place} على الخريطة',
	'draw.proximity.legend.incident': 'حادثة ضمن النتائج',
	'draw.presence.map': 'خريطة مناطق وجود الجهة',
	'draw.presence.legend': 'مناطق الوجود',
	'draw.presence.how': 'أضف الوجود على شكل',
	'draw.presence.by_area': 'وحدة إدارية',
	'draw.presence.by_drawing': 'منطقة مرسومة على الخريطة',
	'draw.presence.find': 'ابحث عن منطقة بالاسم أو الرمز (P-code)',
	'draw.presence.area': 'المنطقة',
	'draw.presence.matches': '{n} منطقة مطابقة',
	'draw.presence.label': 'التسمية',
	'draw.presence.add': 'أضف الوجود',
	'draw.presence.saved': 'أُضيف الوجود.',
	'draw.presence.removed': 'أُزيل الوجود.'
};
