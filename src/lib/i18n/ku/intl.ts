export const intl = {
	'lang.fr': 'Français',
	'nav.menu': 'مێنیو',
	'nav.main': 'سەرەکی',
	'date.hint': 'ڕۆژ/مانگ/ساڵ، بۆ نموونە {example}',
	'date.invalid': 'ئەمە بەروار نییە: ڕۆژ/مانگ/ساڵ بنووسە'
};
