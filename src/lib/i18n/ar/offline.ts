/** العمل دون اتصال (القضية 14): شريط عدم الاتصال، صندوق الصادر، وضع توفير البيانات. */
export const offline = {
	'offline.banner': 'غير متصل — البيانات حتى {time}',
	'offline.banner_unknown': 'غير متصل — تُعرض البيانات المحفوظة على هذا الجهاز',
	'offline.outbox': 'صندوق الصادر ({count})',
	'offline.outbox.title': 'صندوق الصادر',
	'offline.outbox.intro':
		'البلاغات وتسجيلات الوصول المُدخلة على هذا الجهاز. تُرسل بالترتيب عند عودة الاتصال.',
	'offline.outbox.empty': 'لا شيء بانتظار الإرسال.',
	'offline.state.waiting': 'بانتظار الإرسال',
	'offline.state.rejected': 'رفضه الخادم — صحّحه وأرسله مجددًا',
	'offline.state.accepted': 'قبله الخادم',
	'offline.send_now': 'أرسل الآن',
	'offline.fix': 'تصحيح',
	'offline.discard': 'تجاهل',
	'offline.open': 'فتح',
	'offline.close': 'إغلاق',
	'offline.kind.incident': 'بلاغ عن حادث',
	'offline.kind.movement-step': 'مغادرة / وصول تحرّك',
	'offline.queued': 'حُفظ على هذا الجهاز، وسيُرسل عند عودة الاتصال — راجع صندوق الصادر.',
	'offline.confirm_discard': 'هل تريد حذف هذا العنصر غير المُرسل من هذا الجهاز؟',
	'offline.confirm_signout':
		'لم يُرسل {count} عنصر بعد. تسجيل الخروج يحذفها من هذا الجهاز. هل تريد تسجيل الخروج رغم ذلك؟',
	'offline.needs_server': 'أنت غير متصل، وهذه الشاشة تحتاج إلى الخادم.',
	'offline.needs_server_hint':
		'الخريطة وقوائم الحوادث والمناطق ونموذج الإبلاغ تعمل دون اتصال بعد فتحها مرة واحدة أثناء الاتصال.',
	'offline.stopped.offline': 'لا يوجد اتصال: سيُعاد الإرسال عند عودته.',
	'offline.stopped.unauthorized': 'انتهت جلستك: سجّل الدخول مجددًا للإرسال.',
	'offline.stopped.server': 'الخادم مشغول: ستُعاد المحاولة بعد قليل.',
	'offline.low_data': 'توفير البيانات',
	'offline.low_data_hint':
		'تخطَّ طبقات الخريطة الاختيارية (الجهات الفاعلة، مستويات المناطق) لتوفير البيانات'
};
