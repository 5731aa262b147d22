/** صفحة إعدادات المسؤول (القضية 9). */
export const settings = {
	'nav.settings': 'الإعدادات',
	'settings.title': 'الإعدادات',
	'settings.intro': 'تسري هذه الإعدادات على الجميع. يُحفظ كل تغيير في سجل التدقيق.',
	'settings.history': 'سجل التغييرات',
	'settings.operating_area': 'منطقة العمل',
	'settings.operating_area_help':
		'المكان المُبلَّغ عنه خارج هذه البلدان والهامش المحيط بها يجب أن يؤكده المُبلِّغ، ويُخبَر بالبلد الذي يقع فيه.',
	'settings.countries': 'البلدان (رموز ISO من ثلاثة أحرف، مفصولة بفواصل)',
	'settings.countries_help': 'مثلاً IRQ, SYR.',
	'settings.in_force': 'حالياً: {names}',
	'settings.buffer_km': 'الهامش خارج الحدود (كم)',
	'settings.registries': 'السجلات',
	'settings.checkpoint_stale_days': 'تُعرض نقطة التفتيش كقديمة بعد (أيام)',
	'settings.checkpoint_stale_days_help': 'الأيام منذ آخر تحقق منها.',
	'settings.site_match_m': 'إعادة الاستيراد: يُعدّ الموقع الذي يحمل الاسم نفسه الموقعَ ذاته ضمن (متر)',
	'settings.site_match_m_help':
		'الموقع المُعاد استيراده دون معرّف من مصدره يُحدِّث الموقع الذي يحمل الاسم نفسه ضمن هذه المسافة، بدلاً من إضافة موقع ثانٍ.',
	'settings.save': 'حفظ الإعدادات',
	'settings.saved': 'حُفظت الإعدادات.',
	'settings.unchanged': 'لا شيء للحفظ: هذه الإعدادات سارية أصلاً.',
	'settings.has_errors': 'لم يُحفظ شيء. صحّح الحقول المشار إليها أدناه.',
	'settings.error.countries': 'أدخل رمز بلد واحداً أو أكثر من ثلاثة أحرف (ISO 3166)، مثلاً IRQ, SYR.',
	'settings.error.buffer_km': 'أدخل عدد كيلومترات من 0 إلى 500.',
	'settings.error.checkpoint_stale_days': 'أدخل عدداً صحيحاً من الأيام من 1 إلى 365.',
	'settings.error.site_match_m': 'أدخل عدد أمتار من 0 إلى 20000.',
	'settings.documents': 'المستندات',
	'settings.document_classification': 'علامة التصنيف',
	'settings.document_classification_help':
		'تُطبع أعلى تقارير الوضع وسجل المخاطر والتقييمات والخرائط المصدَّرة، قبل اسم المنظمة. إن تُركت فارغة: العلامة المعتادة («مقيّد») بلغة القارئ.',
	'settings.error.document_classification': 'مئة حرف على الأكثر.',
	// the admin page of detailed basemaps
	'nav.basemaps': 'الخرائط الأساسية',
	'basemaps.title': 'الخرائط الأساسية المفصّلة',
	'basemaps.intro':
		'خرائط متجهية تعمل دون اتصال وتُظهر الطرق والقرى، يمكن للمستخدمين التبديل إليها على الخريطة: ملف PMTiles أو MBTiles بمخطط Protomaps أو OpenMapTiles. لا يُجلب لها شيء من الإنترنت. ويمكن أيضًا إتاحة نمط عبر الإنترنت (أدناه).',
	'basemaps.cli':
		'الملفات التي يبلغ حجمها مئات الميغابايت تُضاف على الخادم أفضل: terrain basemap add FILE.',
	'basemaps.none': 'لا توجد خريطة أساسية مفصّلة بعد: تستخدم الخريطة الخريطة المدمجة.',
	'basemaps.name': 'الاسم',
	'basemaps.kind': 'النوع',
	'basemaps.zooms': 'مستويات التكبير',
	'basemaps.size': 'الحجم',
	'basemaps.added': 'أُضيفت',
	'basemaps.remove': 'إزالة',
	'basemaps.remove_confirm':
		'إزالة الخريطة الأساسية «{name}»؟ يعود من اختارها من المستخدمين إلى الخريطة المدمجة.',
	'basemaps.add': 'إضافة خريطة أساسية',
	'basemaps.file': 'ملف PMTiles أو MBTiles',
	'basemaps.name_optional': 'الاسم (اختياري: اسم الملف)',
	'basemaps.submit': 'إضافة',
	'basemaps.adding': 'جارٍ إرسال {size}…',
	'basemaps.added_ok': 'أُضيفت «{name}»: يمكن للمستخدمين التبديل إليها على الخريطة.',
	'basemaps.removed_ok': 'أُزيلت «{name}».',
	'basemaps.pick_file': 'اختر ملفًا أولًا.',
	'basemaps.online_add': 'إضافة خريطة أساسية عبر الإنترنت',
	'basemaps.online_intro':
		'نمط MapLibre على خادم آخر (رابط ملف JSON للنمط). لا تتصل متصفحات المستخدمين بذلك الخادم إلا عند اختيار هذه الخريطة؛ تبقى الخريطة المدمجة هي الافتراضية وتعمل دون اتصال.',
	'basemaps.online_url': 'رابط النمط',
	'basemaps.online_name': 'الاسم (اختياري: اسم النمط نفسه)',
	'basemaps.online_checking': 'جارٍ قراءة النمط…',
	'basemaps.online_kind': 'نمط عبر الإنترنت'
};
