export const intl = {
	'lang.fr': 'Français',
	'nav.menu': 'القائمة',
	'nav.main': 'الرئيسية',
	'date.placeholder': 'يوم/شهر/سنة',
	'date.hint': 'يوم/شهر/سنة، مثلاً {example}',
	'date.invalid': 'ليس تاريخاً: اكتب يوم/شهر/سنة'
};
