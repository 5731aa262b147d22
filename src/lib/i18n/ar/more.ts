import type { admin } from '../en/admin.ts';
import type { actors } from '../en/actors.ts';
import type { map } from '../en/map.ts';
import type { analysis } from '../en/analysis.ts';

type Keys = keyof typeof admin | keyof typeof actors | keyof typeof map | keyof typeof analysis;

// Arabic keys of the admin, actors, map and analysis areas that were still missing. They live
// here rather than in ar/admin.ts, ar/actors.ts … so that work on those files on other branches
// merges without conflicts; a later tidy-up can move each key to the file of its area.
export const more = {
	// admin / account
	'admin.users.roles_help':
		'يدير مديرو النظام المستخدمين؛ ويرى المحللون كل الحوادث ويعدّلونها؛ ويرى الموظفون الميدانيون الحوادث الموثّقة وبلاغاتهم؛ ويرى المشاهدون الحوادث الموثّقة.',
	'account.tokens_help':
		'تتيح الرموز الشخصية للبرامج النصية استدعاء API باسمك (Authorization: Bearer …). يُعرض الرمز مرة واحدة فقط؛ احفظه سراً.',
	'account.api_docs': 'وصف API (OpenAPI)',
	'account.token_name_placeholder': 'مثلاً: برنامج التقرير الأسبوعي',
	'account.token_revoke_confirm': 'إلغاء الرمز "{name}"؟ تتوقف البرامج التي تستخدمه عن العمل فوراً.',

	// actors
	'actors.aliases_hint': 'اسم في كل سطر، مثلاً: ISIL، داعش',
	'actors.hq_lon': 'خط طول المقر',
	'actors.hq_lat': 'خط عرض المقر',
	'actors.hq_label': 'اسم مكان المقر',
	'actors.sources_hint': 'مصدر في كل سطر: مرجع أو رابط',
	'actors.upstream': 'من {source}',
	'actors.not_set': 'غير محدد',
	'actors.presence_drawn': 'مضلع مرسوم',
	'actors.incidents_summary': '{n} حادثة، {f} قتيلاً، {first} – {last}',
	'actors.delete_deps':
		'لديها {relationships} علاقة، و{contacts} جهة اتصال، و{incidents} حادثة، و{checkpoints} نقطة تفتيش، و{presence} منطقة تواجد. ماذا يحدث لها؟',
	'actors.delete_mode.reassign': 'نقلها إلى جهة أخرى (دمج)',
	'actors.delete_mode.detach':
		'الإبقاء على جهات الاتصال والحوادث ونقاط التفتيش دون جهة؛ وحذف العلاقات ومناطق التواجد',
	'actors.delete_mode.delete':
		'حذف علاقاتها ومناطق تواجدها وجهات اتصالها (تبقى الحوادث ونقاط التفتيش دون جهة)',
	'actors.delete_confirm': 'حذف {name}؟ لا يمكن التراجع عن ذلك.',
	'actors.deleted': 'حُذفت {name}.',

	// network
	'network.filters': 'عوامل تصفية الشبكة',
	'network.search_hint': 'الاسم، مثلاً: داعش',
	'network.shapes': 'الأشكال: ■ حكومية · ▲ مسلحة · ◆ دولية · ● مجتمعية وغيرها',

	// contacts
	'contacts.name_ar': 'الاسم بالعربية',
	// \u2066…\u2069 (left-to-right isolate) keeps each example in reading order inside the RTL
	// sentence; without it "0750 111 1111" shows its digit groups reversed.
	'contacts.phone_hint':
		'بأي صيغة معتادة، مثلاً \u20660750 111 1111\u2069 أو \u2066+964 750 111 1111\u2069',
	'contacts.messaging': 'تطبيقات المراسلة',
	'contacts.verified_by': '{when} بواسطة {who}',
	'contacts.verified_ok': 'سُجِّل التحقق.',
	'contacts.notes': 'ملاحظات',
	'contacts.added': 'تم حفظ جهة الاتصال.',
	'contacts.field_no_areas':
		'لا مناطق مسندة إليك، لذا لا تظهر جهات اتصال. اطلب من مدير النظام إسناد مناطقك.',
	'contacts.card_generated': 'طُبعت {when} · احفظها في مكان آمن وأتلفها عند انتهاء صلاحيتها',
	'contacts.delete': 'حذف جهة الاتصال',
	'contacts.not_found': 'لا توجد جهة اتصال كهذه، أو لا يحق لك رؤيتها.',

	// audit log
	'audit.from': 'من',
	'audit.to': 'إلى',
	'audit.table': 'الجدول',
	'audit.row': 'معرّف السجل',
	'audit.search': 'نص في التفاصيل',
	'audit.any': 'الكل',
	'audit.detail': 'التفاصيل',
	'audit.newer': 'الأحدث',
	'audit.older': 'الأقدم'
} satisfies Partial<Record<Keys, string>>;
