// هەناردەکردنی نەخشە (PNG، PDF و چاپکردنی دیمەنی ئێستا).
export const mapexport = {
	'mapx.export': 'هەناردەکردن',
	'mapx.title': 'ناونیشان',
	'mapx.defaultTitle': 'نەخشەی ڕووداوەکان',
	'mapx.made': 'ئامادەکراوە لە {at}',
	'mapx.filters': 'پاڵاوتنەکان',
	'mapx.period': '{from} – {to}',
	'mapx.since': 'لە {from}ەوە',
	'mapx.until': 'تا {to}',
	'mapx.allDates': 'هەموو بەروارەکان',
	'mapx.allTypes': 'هەموو جۆرەکانی ڕووداو',
	'mapx.layers': 'چینەکان',
	'mapx.sources': 'سەرچاوەکان',
	'mapx.incidentSource': 'ڕووداو و شوێنەکان: {org} (Terrain)',
	'mapx.north': 'باکوور',
	'mapx.busy': 'هەناردەکردنەکە ئامادە دەکرێت…'
};
