export const intl = {
	'lang.fr': 'Français',
	'nav.menu': 'مێنیو',
	'nav.main': 'سەرەکی',
	'date.placeholder': 'ڕۆژ/مانگ/ساڵ',
	'date.hint': 'ڕۆژ/مانگ/ساڵ، بۆ نموونە {example}',
	'date.invalid': 'ئەمە بەروار نییە: ڕۆژ/مانگ/ساڵ بنووسە'
};
