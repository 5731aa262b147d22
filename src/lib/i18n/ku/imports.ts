import type { en } from '../en/index.ts';

export const imports: Partial<Record<keyof typeof en, string>> = {
	'imports.encoding': 'کۆدکردنی دەق',
	'imports.encoding.auto': 'خۆکار بدۆزرێتەوە',
	'imports.encoding.utf-8': 'UTF-8 (یونیکۆد)',
	'imports.encoding.utf-16le': 'UTF-16 (دەقی یونیکۆدی Excel)',
	'imports.encoding.utf-16be': 'UTF-16 (بایتی گەورە لە پێشەوە)',
	'imports.encoding.windows-1256': 'ویندۆزی عەرەبی (Windows-1256)',
	'imports.encoding.windows-1252': 'ویندۆزی ڕۆژئاوایی (Windows-1252)',
	'imports.encoding.iso-8859-1': 'لاتینیی ڕۆژئاوایی (Latin-1)',
	'imports.dates': 'بەروارەکانی وەک 03/04/2024 نووسراون',
	'imports.dates.auto': 'وەک فایلەکە پیشانی دەدات (ئەگەر ڕوون نەبوو دەپرسێت)',
	'imports.dates.dmy': 'ڕۆژ لە پێشەوە (3ی نیسان 2024)',
	'imports.dates.mdy': 'مانگ لە پێشەوە (4ی ئازار 2024)',
	'imports.dates.ask':
		'هەندێک بەروار دەکرێت بە ڕۆژ یان بە مانگ لە پێشەوە بخوێندرێنەوە و هیچ شتێک لە فایلەکەدا یەکلای ناکاتەوە. شێوازی نووسینی بەروارەکان هەڵبژێرە، پاشان فایلەکە دووبارە بپشکنە.',
	'imports.dates.read': 'بەروارەکان {order} خوێندرانەوە.',
	'imports.dates.read.dmy': 'بە ڕۆژ لە پێشەوە',
	'imports.dates.read.mdy': 'بە مانگ لە پێشەوە',
	'imports.status': 'دۆخی ڕووداوە نوێیەکان',
	'imports.status.auto': 'وەک فایلەکە دەڵێت (ACLED و UCDP: پشتڕاستکراوە)',
	'imports.status.reported': 'ڕاپۆرتکراو',
	'imports.status.verified': 'پشتڕاستکراوە',
	'imports.source.needed':
		'پێش هاوردەکردن ناوی سەرچاوەی ئەم فایلە بنووسە. ناسنامەکانی لەژێر ئەم ناوەدا دەپارێزرێن، بۆیە فایلی مانگی داهاتوو لە هەمان سەرچاوە ئەم ڕووداوانە نوێ دەکاتەوە لە جیاتی دووبارە زیادکردنیان.',
	'imports.source.placeholder': 'بۆ نموونە partner-tracker',
	'imports.dry':
		'تاقیکردنەوە: {read} ڕیز خوێندرایەوە. هاوردەکردن {inserted} زیاد دەکات، {updated} نوێ دەکاتەوە و {unchanged} وەک خۆی دەهێڵێت؛ {skipped} ڕیز کێشەیان هەیە. هیچ شتێک نەنووسرا.',
	'imports.placement':
		'شوێنی ڕیزەکان: {point} بە هاوپێوەرەکانی خۆیان، {admin3} لە ناحیەیەک، {admin2} لە قەزایەک، {admin1} تەنها لە پارێزگایەک — لەسەر {points} خاڵی جیاواز.',
	'imports.partial':
		'بەشێکی هاوردەکرا: {inserted} نوێ، {updated} نوێکراوە، {unchanged} بێ گۆڕان. {skipped} ڕیزی کێشەدار بازدران — لە خوارەوە دایانبگرە.',
	'imports.values': 'بەهاکانی ستوونی «{column}»',
	'imports.values.intro':
		'ئەم بەهایانە جۆری ڕووداو نین کە Terrain بیانناسێت. مانای هەر یەکێکیان هەڵبژێرە؛ هەڵبژاردنەکانت بۆ فایلی داهاتووت کە ئەم ستوونەی تێدایە دەپارێزرێن.',
	'imports.values.value': 'بەها لە فایلەکەدا',
	'imports.values.rows': 'ڕیزەکان',
	'imports.values.maps_to': 'جۆری ڕووداو',
	'imports.values.unmapped': '(وەک کێشە بمێنێتەوە)',
	'imports.values.mapped': 'بەها بەستراوەکان',
	'imports.seen.same_file':
		'ئەم فایلە پێشتر هاوردەکراوە ({date}، بە ناوی «{file}»، سەرچاوە «{source}»).',
	'imports.check_again': 'بەم هەڵبژاردنانە دووبارە بپشکنە',
	'import.target.displacement_locations': 'شوێنەکانی ئاوارەیی (ئاوارەکانی دەرەوەی کەمپ)'
};
