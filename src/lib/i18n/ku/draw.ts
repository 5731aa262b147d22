import type { draw as en } from '../en/draw.ts';

// Drawing on the map, the proximity screen's map and the actor presence editor, in Sorani.
export const draw = {
	'draw.toolbar': 'ئامرازەکانی کێشان',
	'draw.mode': 'بکێشە',
	'draw.mode.point': 'خاڵ',
	'draw.mode.line': 'هێڵ',
	'draw.mode.polygon': 'ناوچە',
	'draw.undo': 'گەڕانەوە',
	'draw.finish': 'تەواوکردن',
	'draw.clear': 'سڕینەوە',
	'draw.hint.point': 'کرتە لە نەخشە بکە بۆ دانانی خاڵەکە.',
	'draw.hint.start.line': 'کرتە لە نەخشە بکە بۆ دەستپێکردنی هێڵەکە.',
	'draw.hint.start.polygon': 'کرتە لە نەخشە بکە بۆ دانانی یەکەم گۆشەی ناوچەکە.',
	'draw.hint.more.line':
		'{n} خاڵ. کرتە بکە بۆ زیادکردنی زیاتر؛ دوو کرتە، Enter یان «تەواوکردن» هێڵەکە تەواو دەکات.',
	'draw.hint.more.polygon':
		'{n} گۆشە. کرتە بکە بۆ زیادکردنی زیاتر؛ کرتە لە یەکەم گۆشە، دوو کرتە، Enter یان «تەواوکردن» ناوچەکە دادەخات.',
	'draw.hint.done': 'کێشرا. «گەڕانەوە» بۆ گۆڕینی، «سڕینەوە» (Escape) بۆ دەستپێکردنەوە.',
	'draw.invalid.empty': 'سەرەتا لەسەر نەخشە بکێشە، یان پۆتانەکان بلکێنە.',
	'draw.invalid.too_few': 'خاڵەکان زۆر کەمن: ئەمە لانیکەم {min} خاڵی جیاوازی پێویستە.',
	'draw.invalid.self_intersecting':
		'ناوچەکە خۆی دەبڕێت: گەڕانەوە بکە یان گۆشەکان دووبارە بکێشەوە تا هیچ دوو لایەک یەکتر نەبڕن.',
	'draw.invalid.no_area': 'ناوچەکە ڕووبەری نییە: گۆشەکانی لەسەر یەک هێڵن.',
	// \u2066…\u2069 keeps the GeoJSON example left to right inside the RTL sentence.
	'draw.invalid.not_geojson':
		'ئەم پۆتانانە GeoJSON نین: شێوەیەکی هەندەسی چاوەڕوان دەکرا وەک \u2066{"type": "Point", "coordinates": [43.13, 36.34]}\u2069 (سەرەتا هێڵی درێژی).',
	'draw.invalid.unsupported': 'تەنها خاڵ، هێڵ یان ناوچە (یان شێوە Multi ـەکانیان) بەکاردێت.',
	'draw.invalid.out_of_range':
		'پۆتانەکان دەبێت هێڵی درێژی و هێڵی پانی بن بە پلە، سەرەتا هێڵی درێژی.',
	'draw.paste': 'یان پۆتانەکان بلکێنە (GeoJSON)',
	'draw.paste_hint':
		'شێوەیەکی هەندەسی یان Feature ـی GeoJSON، سەرەتا هێڵی درێژی. ئەوەی دەیکێشیت لێرەش دەنووسرێت.',
	'draw.proximity.map': 'نەخشەی ناوچەی گەڕان و ڕووداوە دۆزراوەکان',
	'draw.proximity.preview':
		'ڕەنگکراو: {km} کم لە دەوری (پێشبینینێکە؛ بنکەدراوەکە دوورییەکە دەپێوێت).',
	'draw.proximity.show': '{place} لەسەر نەخشە پیشان بدە',
	'draw.proximity.legend.incident': 'ڕووداوی دۆزراوە',
	'draw.presence.map': 'نەخشەی ئەو شوێنانەی لایەنەکە تێیاندا ئامادەیە',
	'draw.presence.legend': 'ناوچەکانی ئامادەبوون',
	'draw.presence.how': 'ئامادەبوون زیاد بکە وەک',
	'draw.presence.by_area': 'ناوچەیەکی کارگێڕی',
	'draw.presence.by_drawing': 'ناوچەیەکی کێشراو لەسەر نەخشە',
	'draw.presence.find': 'ناوچەیەک بە ناو یان P-code بدۆزەرەوە',
	'draw.presence.area': 'ناوچە',
	'draw.presence.matches': '{n} ناوچە دەگونجێن',
	'draw.presence.label': 'پێناس',
	'draw.presence.add': 'زیادکردنی ئامادەبوون',
	'draw.presence.saved': 'ئامادەبوون زیادکرا.',
	'draw.presence.removed': 'ئامادەبوون لابرا.'
} satisfies Partial<Record<keyof typeof en, string>>;
