// پرۆفایلی کۆمەڵگەی ناوچە (دانیشتووان، ئاوارەکان، پێکهاتە، …) لە پەڕەی ناوچەکە.
export const community = {
	'community.title': 'پرۆفایلی کۆمەڵگە',
	'community.source': 'سەرچاوەی ژمارەی دانیشتووان',
	'community.date': 'بەرواری ژمارەی دانیشتووان',
	'community.notes': 'تێبینییەکان (Markdown)',
	'community.languagesHint': 'زمانەکان (کۆدی ISO بە کۆما جیاکراوە: ar، ckb، kmr، syr)',
	'community.save': 'پاشەکەوتکردنی پرۆفایلی کۆمەڵگە',
	'community.saved': 'پرۆفایلی کۆمەڵگە پاشەکەوت کرا.',
	'community.history': 'گۆڕانکارییەکان',
	'community.none': 'هێشتا هیچ پرۆفایلێکی کۆمەڵگە تۆمار نەکراوە.',
	'community.updated': 'دوایین گۆڕانکاری لەلایەن {who}، {at}'
};
