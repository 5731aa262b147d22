// تصدير الخريطة (PNG وPDF وطباعة العرض الحالي).
export const mapexport = {
	'mapx.export': 'تصدير',
	'mapx.title': 'العنوان',
	'mapx.defaultTitle': 'خريطة الحوادث',
	'mapx.made': 'أُعدّت في {at}',
	'mapx.filters': 'عوامل التصفية',
	'mapx.period': '{from} – {to}',
	'mapx.since': 'منذ {from}',
	'mapx.until': 'حتى {to}',
	'mapx.allDates': 'كل التواريخ',
	'mapx.allTypes': 'كل أنواع الحوادث',
	'mapx.layers': 'الطبقات',
	'mapx.sources': 'المصادر',
	'mapx.incidentSource': 'الحوادث والمواقع: {org} (Terrain)',
	'mapx.north': 'ش',
	'mapx.busy': 'جارٍ تحضير التصدير…'
};
