import type { en } from '../en/index.ts';

export const imports: Partial<Record<keyof typeof en, string>> = {
	'imports.encoding': 'ترميز النص',
	'imports.encoding.auto': 'اكتشاف تلقائي',
	'imports.encoding.utf-8': 'UTF-8 (يونيكود)',
	'imports.encoding.utf-16le': 'UTF-16 (نص يونيكود من Excel)',
	'imports.encoding.utf-16be': 'UTF-16 (ترتيب البايتات الكبير)',
	'imports.encoding.windows-1256': 'ويندوز العربي (Windows-1256)',
	'imports.encoding.windows-1252': 'ويندوز الغربي (Windows-1252)',
	'imports.encoding.iso-8859-1': 'اللاتيني الغربي (Latin-1)',
	'imports.dates': 'التواريخ مثل 03/04/2024 مكتوبة',
	'imports.dates.auto': 'كما يبيّن الملف (مع السؤال عند الالتباس)',
	'imports.dates.dmy': 'اليوم أولاً (3 نيسان 2024)',
	'imports.dates.mdy': 'الشهر أولاً (4 آذار 2024)',
	'imports.dates.ask':
		'بعض التواريخ يمكن قراءتها باليوم أولاً أو بالشهر أولاً، ولا شيء في الملف يحسم ذلك. اختر طريقة كتابة التواريخ ثم افحص الملف مجدداً.',
	'imports.dates.read': 'قُرئت التواريخ {order}.',
	'imports.dates.read.dmy': 'باليوم أولاً',
	'imports.dates.read.mdy': 'بالشهر أولاً',
	'imports.status': 'حالة الحوادث الجديدة',
	'imports.status.auto': 'كما يقول الملف (ACLED وUCDP: موثّقة)',
	'imports.status.reported': 'مُبلَّغ عنها',
	'imports.status.verified': 'موثّقة',
	'imports.source.needed':
		'سمِّ مصدر هذا الملف قبل استيراده. تُحفظ معرّفاته تحت هذا الاسم، فيحدّث ملفُ الشهر القادم من المصدر نفسه هذه الحوادثَ بدل إضافتها مرة أخرى.',
	'imports.source.placeholder': 'مثلاً partner-tracker',
	'imports.dry':
		'تجربة: قُرئ {read} صفاً. الاستيراد سيضيف {inserted} ويحدّث {updated} ويترك {unchanged} دون تغيير؛ في {skipped} صفاً مشكلات. لم يُكتب شيء.',
	'imports.placement':
		'مواقع الصفوف: {point} بإحداثياتها، {admin3} في ناحية، {admin2} في قضاء، {admin1} في محافظة فقط — على {points} نقطة مختلفة.',
	'imports.partial':
		'استيراد جزئي: {inserted} جديد، {updated} محدَّث، {unchanged} دون تغيير. تُخطّي {skipped} صفاً فيها مشكلات — يمكن تنزيلها أدناه.',
	'imports.values': 'قيم العمود «{column}»',
	'imports.values.intro':
		'هذه القيم ليست أنواع أحداث يعرفها Terrain. اختر معنى كل منها؛ تُحفظ اختياراتك لملفك القادم الذي فيه هذا العمود.',
	'imports.values.value': 'القيمة في الملف',
	'imports.values.rows': 'الصفوف',
	'imports.values.maps_to': 'نوع الحدث',
	'imports.values.unmapped': '(تبقى مشكلة)',
	'imports.values.mapped': 'القيم المربوطة',
	'imports.seen.same_file': 'استُورد هذا الملف من قبل ({date}، باسم «{file}»، المصدر «{source}»).',
	'imports.check_again': 'افحص مجدداً بهذه الاختيارات',
	'import.target.displacement_locations': 'مواقع النزوح (نازحون خارج المخيمات)'
};
