// محفزات خطط الطوارئ المرتبطة بالبيانات الحية، في شاشة الخطة.
export const triggers = {
	'triggers.title': 'المحفزات',
	'triggers.intro':
		'شروط على البيانات الحية يجب عندها تنفيذ هذه الخطة. عندما يتحقق أحدها يتلقى المحللون والمسؤولون تنبيهًا واحدًا.',
	'triggers.none': 'لا محفزات بعد.',
	'triggers.kind': 'المحفز',
	'triggers.kind.area_level': 'بلوغ المستوى الأمني لمنطقة مستوى معيّنًا',
	'triggers.kind.incidents_near': 'حوادث خطيرة قرب القاعدة',
	'triggers.kind.checkpoint_closed': 'إغلاق نقطة تفتيش',
	'triggers.describe.area_level': 'المستوى الأمني لـ {area} عند {level} أو أعلى',
	'triggers.describe.incidents_near': '{k} حوادث خطيرة أو أكثر ضمن {r} كم من {where} خلال {d} يومًا',
	'triggers.describe.checkpoint_closed': 'نقطة التفتيش {name} مغلقة',
	'triggers.the_base': 'القاعدة',
	'triggers.a_point': '{lat}، {lon}',
	'triggers.met': 'متحقق منذ {when}',
	'triggers.not_met': 'غير متحقق',
	'triggers.pcode': 'الرمز المكاني للمنطقة (P-code)',
	'triggers.level': 'المستوى (1–5)',
	'triggers.min_incidents': 'عدد الحوادث الخطيرة على الأقل',
	'triggers.radius_km': 'ضمن (كم)',
	'triggers.days': 'خلال آخر (أيام)',
	'triggers.checkpoint': 'نقطة التفتيش',
	'triggers.add': 'إضافة محفز',
	'triggers.remove': 'إزالة',
	'triggers.added': 'أُضيف المحفز.'
};
