/** کارکردن بەبێ هێڵ (کێشەی 14): شریتی دەرهێڵ، سندوقی ناردن، دۆخی کەمکردنەوەی داتا. */
export const offline = {
	'offline.banner': 'دەرهێڵ — داتا تا {time}',
	'offline.banner_unknown': 'دەرهێڵ — ئەو داتایانە پیشان دەدرێن کە لەسەر ئەم ئامێرە هەڵگیراون',
	'offline.outbox': 'سندوقی ناردن ({count})',
	'offline.outbox.title': 'سندوقی ناردن',
	'offline.outbox.intro':
		'ئەو ڕاپۆرت و گەیشتنانەی لەسەر ئەم ئامێرە تۆمارکراون. کاتێک هێڵ گەڕایەوە بە ڕیز دەنێردرێن.',
	'offline.outbox.empty': 'هیچ شتێک چاوەڕێی ناردن نییە.',
	'offline.state.waiting': 'چاوەڕێی ناردنە',
	'offline.state.rejected': 'ڕاژەکار ڕەتی کردەوە — ڕاستی بکەرەوە و دووبارە بینێرە',
	'offline.state.accepted': 'ڕاژەکار وەریگرت',
	'offline.send_now': 'ئێستا بینێرە',
	'offline.fix': 'ڕاستکردنەوە',
	'offline.discard': 'فڕێدان',
	'offline.open': 'کردنەوە',
	'offline.close': 'داخستن',
	'offline.kind.incident': 'ڕاپۆرتی ڕووداو',
	'offline.kind.movement-step': 'ڕۆیشتن / گەیشتنی گەشت',
	'offline.queued': 'لەسەر ئەم ئامێرە هەڵگیرا و کاتێک هێڵ گەڕایەوە دەنێردرێت — سندوقی ناردن ببینە.',
	'offline.confirm_discard': 'ئەم بڕگە نەنێردراوە لەم ئامێرە بسڕیتەوە؟',
	'offline.confirm_signout':
		'{count} بڕگە هێشتا نەنێردراون. چوونەدەرەوە لەم ئامێرە دەیانسڕێتەوە. هەر دەتەوێت بچیتە دەرەوە؟',
	'offline.needs_server': 'تۆ دەرهێڵیت و ئەم شاشەیە پێویستی بە ڕاژەکارە.',
	'offline.needs_server_hint':
		'نەخشە، لیستی ڕووداوەکان، ناوچەکان و فۆڕمی ڕاپۆرت دوای یەکجار کردنەوە لە کاتی هێڵدا بەبێ هێڵیش کار دەکەن.',
	'offline.stopped.offline': 'هێڵ نییە: کاتێک گەڕایەوە دووبارە دەنێردرێت.',
	'offline.stopped.unauthorized': 'دانیشتنەکەت بەسەرچوو: بۆ ناردن دووبارە بچۆ ژوورەوە.',
	'offline.stopped.server': 'ڕاژەکار سەرقاڵە: کەمێکی تر هەوڵ دەدرێتەوە.',
	'offline.low_data': 'داتای کەم',
	'offline.low_data_hint':
		'چینە هەڵبژاردەییەکانی نەخشە (لایەنەکان، ئاستی ناوچەکان) بپەڕێنە بۆ پاشەکەوتی داتا'
};
