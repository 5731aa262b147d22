// هۆکارەکانی پلانی فریاکەوتن کە بە داتای زیندووەوە بەستراون، لە پەڕەی پلانەکە.
export const triggers = {
	'triggers.title': 'هۆکارەکان',
	'triggers.intro':
		'مەرجەکانی سەر داتای زیندوو کە لە کاتیاندا ئەم پلانە دەبێت جێبەجێ بکرێت. کاتێک یەکێکیان هاتە دی، شیکەرەوەکان و بەڕێوەبەران یەک ئاگادارکردنەوە وەردەگرن.',
	'triggers.none': 'هێشتا هیچ هۆکارێک نییە.',
	'triggers.kind': 'هۆکار',
	'triggers.kind.area_level': 'ئاستی ئاسایشی ناوچەیەک دەگاتە ئاستێک',
	'triggers.kind.incidents_near': 'ڕووداوی مەترسیدار لە نزیک بنکە',
	'triggers.kind.checkpoint_closed': 'داخستنی خاڵێکی پشکنین',
	'triggers.describe.area_level': 'ئاستی ئاسایشی {area} لە {level} یان زیاتر',
	'triggers.describe.incidents_near':
		'{k} ڕووداوی مەترسیدار یان زیاتر لە ماوەی {r} کم لە {where} لە {d} ڕۆژدا',
	'triggers.describe.checkpoint_closed': 'خاڵی پشکنینی {name} داخراوە',
	'triggers.the_base': 'بنکەکە',
	'triggers.a_point': '{lat}، {lon}',
	'triggers.met': 'هاتووەتە دی لە {when}ەوە',
	'triggers.not_met': 'نەهاتووەتە دی',
	'triggers.pcode': 'P-codeی ناوچە',
	'triggers.level': 'ئاست (1–5)',
	'triggers.min_incidents': 'لانیکەم ئەم ژمارەیە ڕووداوی مەترسیدار',
	'triggers.radius_km': 'لە ماوەی (کم)',
	'triggers.days': 'لە دواین (ڕۆژ)',
	'triggers.checkpoint': 'خاڵی پشکنین',
	'triggers.add': 'زیادکردنی هۆکار',
	'triggers.remove': 'لابردن',
	'triggers.added': 'هۆکارەکە زیاد کرا.'
};
