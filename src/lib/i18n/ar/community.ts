// الملف المجتمعي للمنطقة (السكان، النازحون، التركيبة، …) في صفحة المنطقة.
export const community = {
	'community.title': 'الملف المجتمعي',
	'community.source': 'مصدر عدد السكان',
	'community.date': 'تاريخ عدد السكان',
	'community.notes': 'ملاحظات (Markdown)',
	'community.languagesHint': 'اللغات (رموز ISO مفصولة بفواصل: ar، ckb، kmr، syr)',
	'community.save': 'حفظ الملف المجتمعي',
	'community.saved': 'حُفظ الملف المجتمعي.',
	'community.history': 'التغييرات',
	'community.none': 'لم يُسجَّل ملف مجتمعي بعد.',
	'community.updated': 'آخر تعديل بواسطة {who}، {at}'
};
