/** پەڕەی ڕێکخستنەکانی بەڕێوەبەر (کێشەی 9). */
export const settings = {
	'nav.settings': 'ڕێکخستنەکان',
	'settings.title': 'ڕێکخستنەکان',
	'settings.intro':
		'ئەم ڕێکخستنانە بۆ هەمووان کار دەکەن. هەموو گۆڕانکارییەک لە تۆماری وردبینیدا هەڵدەگیرێت.',
	'settings.history': 'مێژووی گۆڕانکارییەکان',
	'settings.operating_area': 'ناوچەی کارکردن',
	'settings.operating_area_help':
		'شوێنێک کە لە دەرەوەی ئەم وڵاتانە و پەراوێزی دەوروبەریان ڕاپۆرت دەکرێت، دەبێت ڕاپۆرتدەر پشتڕاستی بکاتەوە، و پێی دەوترێت دەکەوێتە کام وڵات.',
	'settings.countries': 'وڵاتان (کۆدی ISO ی سێ پیتی، بە کۆما جیاکراونەتەوە)',
	'settings.countries_help': 'بۆ نموونە IRQ, SYR.',
	'settings.in_force': 'ئێستا: {names}',
	'settings.buffer_km': 'پەراوێز لە دەرەوەی سنوورەکان (کم)',
	'settings.registries': 'تۆمارەکان',
	'settings.checkpoint_stale_days': 'بازگە وەک کۆن پیشان دەدرێت دوای (ڕۆژ)',
	'settings.checkpoint_stale_days_help': 'ڕۆژەکان لە دوایین پشتڕاستکردنەوەیەوە.',
	'settings.site_match_m':
		'دووبارە هاوردەکردن: شوێنێک بە هەمان ناو وەک هەمان شوێن دادەنرێت لە ماوەی (مەتر)',
	'settings.site_match_m_help':
		'شوێنێکی دووبارە هاوردەکراو بێ ناسنامە لە سەرچاوەکەیەوە، شوێنی هاوناو لەم ماوەیەدا نوێ دەکاتەوە، لە جیاتی زیادکردنی شوێنێکی دووەم.',
	'settings.save': 'پاشەکەوتکردنی ڕێکخستنەکان',
	'settings.saved': 'ڕێکخستنەکان پاشەکەوت کران.',
	'settings.unchanged': 'هیچ شتێک بۆ پاشەکەوتکردن نییە: ئەم ڕێکخستنانە پێشتر کاریان پێدەکرا.',
	'settings.has_errors':
		'هیچ شتێک پاشەکەوت نەکرا. ئەو خانانەی خوارەوە ڕاست بکەرەوە کە نیشانە کراون.',
	'settings.error.countries':
		'یەک یان زیاتر کۆدی وڵاتی سێ پیتی (ISO 3166) بنووسە، بۆ نموونە IRQ, SYR.',
	'settings.error.buffer_km': 'ژمارەیەک کیلۆمەتر لە 0 تا 500 بنووسە.',
	'settings.error.checkpoint_stale_days': 'ژمارەیەکی تەواوی ڕۆژ لە 1 تا 365 بنووسە.',
	'settings.error.site_match_m': 'ژمارەیەک مەتر لە 0 تا 20000 بنووسە.',
	'settings.documents': 'بەڵگەنامەکان',
	'settings.document_classification': 'نیشانەی پۆلێنکردن',
	'settings.document_classification_help':
		'لە سەرەوەی ڕاپۆرتی دۆخ، تۆماری مەترسییەکان، هەڵسەنگاندنەکان و نەخشە هەناردەکراوەکان چاپ دەکرێت، پێش ناوی ڕێکخراوەکە. بەتاڵ: نیشانە ئاساییەکە («سنووردار») بە زمانی خوێنەر.',
	'settings.error.document_classification': 'زۆرترین 100 پیت.',
	// the admin page of detailed basemaps
	'nav.basemaps': 'نەخشە بنەڕەتییەکان',
	'basemaps.title': 'نەخشە بنەڕەتییە وردەکان',
	'basemaps.intro':
		'نەخشەی ڤێکتەری بێ ئینتەرنێت کە ڕێگا و گوندەکان پیشان دەدەن و بەکارهێنەران دەتوانن لەسەر نەخشەکە بگۆڕن بۆیان: فایلی PMTiles یان MBTiles بە شێوازی Protomaps یان OpenMapTiles. هیچ شتێکیان لە ئینتەرنێتەوە ناهێنرێت. دەکرێت ستایلێکی ئۆنلاینیش پێشکەش بکرێت (لە خوارەوە).',
	'basemaps.cli':
		'فایلی چەند سەد مێگابایتی باشترە لەسەر ڕاژەکار زیاد بکرێن: terrain basemap add FILE.',
	'basemaps.none': 'هێشتا هیچ نەخشەی بنەڕەتیی ورد نییە: نەخشەکە نەخشە ناوخۆییەکە بەکاردەهێنێت.',
	'basemaps.name': 'ناو',
	'basemaps.kind': 'جۆر',
	'basemaps.zooms': 'ئاستەکانی زووم',
	'basemaps.size': 'قەبارە',
	'basemaps.added': 'زیادکرا',
	'basemaps.remove': 'لابردن',
	'basemaps.remove_confirm':
		'نەخشەی بنەڕەتیی «{name}» لاببرێت؟ ئەو بەکارهێنەرانەی هەڵیانبژاردووە دەگەڕێنەوە بۆ نەخشە ناوخۆییەکە.',
	'basemaps.add': 'زیادکردنی نەخشەی بنەڕەتی',
	'basemaps.file': 'فایلی PMTiles یان MBTiles',
	'basemaps.name_optional': 'ناو (ئارەزوومەندانە: ناوی فایلەکە)',
	'basemaps.submit': 'زیادکردن',
	'basemaps.adding': 'ناردنی {size}…',
	'basemaps.added_ok': '«{name}» زیادکرا: بەکارهێنەران دەتوانن لەسەر نەخشەکە بگۆڕن بۆی.',
	'basemaps.removed_ok': '«{name}» لابرا.',
	'basemaps.pick_file': 'سەرەتا فایلێک هەڵبژێرە.',
	'basemaps.online_add': 'زیادکردنی نەخشەی بنەڕەتی ئۆنلاین',
	'basemaps.online_intro':
		'ستایلێکی MapLibre لەسەر ڕاژەکارێکی تر (بەستەری JSONی ستایلەکە). وێبگەڕی بەکارهێنەران تەنها کاتێک پەیوەندی بەو ڕاژەکارەوە دەکەن کە ئەم نەخشەیە هەڵدەبژێرن؛ نەخشە ناوخۆییەکە بنەڕەت دەمێنێتەوە و بێ ئینتەرنێت کار دەکات.',
	'basemaps.online_url': 'بەستەری ستایل',
	'basemaps.online_name': 'ناو (ئارەزوومەندانە: ناوی خودی ستایلەکە)',
	'basemaps.online_checking': 'خوێندنەوەی ستایلەکە…',
	'basemaps.online_kind': 'ستایلی ئۆنلاین'
};
