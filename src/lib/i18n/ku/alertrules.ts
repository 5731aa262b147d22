// یاساکانی ئاگادارکردنەوە (/alerts/rules)، ئاگادارییەکانی ڕووداو و ئیمەیڵ.
import type { alertrules as en } from '../en/alertrules.ts';

export const alertrules: Record<keyof typeof en, string> = {
	'alertrules.title': 'یاساکانی ئاگادارکردنەوە',
	'alertrules.link': 'یاساکانی ئاگادارکردنەوە',
	'alertrules.intro':
		'بەشداربوونەکانت: کاتێک ڕووداوێک کە لەگەڵ یەکێک لە یاساکانت دەگونجێت ڕاپۆرت دەکرێت، پشتڕاست دەکرێتەوە یان هاوردە دەکرێت، ئاگادارییەکت پێدەگات. یاسا تەنها ئەو ڕووداوانە دەبینێت کە ڕێگەت هەیە بیانخوێنیتەوە.',
	'alertrules.none': 'هێشتا هیچ یاسایەک نییە.',
	'alertrules.new': 'یاسای نوێ',
	'alertrules.name': 'ناو',
	'alertrules.target': 'چاودێری',
	'alertrules.target.sites': 'شوێنەکانمان',
	'alertrules.target.movements': 'ڕێگای جووڵە پەسەندکراو و بەڕێوەچووەکان',
	'alertrules.target.areas': 'ناوچەکان',
	'alertrules.site': 'شوێن',
	'alertrules.site.all': 'هەموو شوێنە کراوەکان',
	'alertrules.radius': 'نیوەتیرە (کم)',
	'alertrules.pcodes': 'کۆدی ناوچەکان P-code (بە کۆما جیاکراوە)',
	'alertrules.event_types': 'پۆلەکان (هیچ دیاری نەکراو: هەموو)',
	'alertrules.seriousness': 'مەترسیداری',
	'alertrules.seriousness.any': 'هەر ڕووداوێک',
	'alertrules.seriousness.ngo': 'مەترسیدار، یان کاریگەری لەسەر ڕێکخراوە نا حکومییەکان یان ئێمە',
	'alertrules.seriousness.serious':
		'تەنها مەترسیدار (کوشتن، بریندارکردن یان ڕفاندنی کارمەندانی مرۆیی)',
	'alertrules.min_fatalities': 'لانیکەم ئەم ژمارەیە کوژراو',
	'alertrules.max_age': 'ڕووداوی کۆنتر لە (ڕۆژ) پشتگوێ بخە',
	'alertrules.email': 'هەروەها بە ئیمەیڵ',
	'alertrules.save': 'پاشەکەوتکردنی یاسا',
	'alertrules.delete': 'سڕینەوە',
	'alertrules.on': 'چالاک',
	'alertrules.off': 'ناچالاک',
	'alertrules.turn_on': 'چالاککردن',
	'alertrules.turn_off': 'ناچالاککردن',
	'alertrules.km': '{n} کم',
	'alertrules.all_types': 'هەموو پۆلەکان',
	'alertrules.saved': 'یاساکە پاشەکەوت کرا.',
	'alertrules.mail.off':
		'ئیمەیڵ لەسەر ئەم ڕاژەکارە ڕێکنەخراوە: ئاگادارییەکان لەناو بەرنامەکەدا دەمێننەوە.',
	'alertrules.mail.on': 'ئیمەیڵ ڕێکخراوە: ئاگادارییەکان بۆ ناونیشانەکەت دەنێردرێن.',
	'alertrules.mail.stats':
		'ناردنی ئیمەیڵ: {sent} نێردرا، {pending} چاوەڕوان، {failed} سەرنەکەوتوو، {not_visible} ڕاگیرا (وەرگر مافی خوێندنەوەی ئاگادارییەکەی نییە).',
	'alertrules.mail.last_error': 'دوایین هەڵە: {error}',
	'alertrules.incidents': '{n} ڕووداو',
	'alertrules.open_incident': 'کردنەوە',
	'alertmail.severity.info': 'زانیاری',
	'alertmail.severity.warning': 'ئاگاداری',
	'alertmail.severity.critical': 'گرنگ و بەپەلە',
	'alertmail.movement.subject': '[Terrain] {severity}: ئاگادارییەک دەربارەی جووڵەیەک',
	'alertmail.movement.text':
		'جووڵەیەک کە بەدوایدا دەچیت پێویستی بە سەرنجە. بۆ سەلامەتی تیمەکە، ئەم ئیمەیڵە نایڵێت کام جووڵە، لە کوێ یان کەی.',
	'alertmail.open': 'لە Terrain بیکەرەوە: {link}',
	'alertmail.incidents': '{n} ڕووداو کە ڕێگەت هەیە بیخوێنیتەوە:',
	'alertmail.fatalities': '{n} کوژراو',
	'alertmail.serious': 'مەترسیدار',
	'alertmail.near': 'نزیک: {places}',
	'alertmail.authorisation.subject': 'مۆڵەتێکی گەیشتن بەم زووانە بەسەردەچێت',
	'alertmail.authorisation.text':
		'مۆڵەتێکی گەیشتن لە {date} بەسەردەچێت. پێش گەشتی داهاتوو کە پێویستی پێیەتی نوێی بکەرەوە.',
	'alertmail.headcount.subject': 'سەرژمێری: ئایا سەلامەتیت؟',
	'alertmail.headcount.text':
		'سەرژمێرییەک دەستی پێکرد. بە زووترین کات لە Terrain وەڵامی "سەلامەتم" یان "یارمەتیم پێویستە" بدەرەوە.',
	'alertmail.headcount.late.subject': 'سەرژمێری: هەندێک کەس وەڵامیان نەداوەتەوە',
	'alertmail.headcount.late.text': '{n} کەس لە کاتی خۆیدا وەڵامی سەرژمێرییەکەیان نەداوەتەوە.'
};
