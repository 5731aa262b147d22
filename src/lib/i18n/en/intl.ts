/** The reader's language and phone screens (issue 14): header menu, date field, French. */
export const intl = {
	'lang.fr': 'Français',
	'nav.menu': 'Menu',
	'nav.main': 'Main',
	'date.placeholder': 'dd/mm/yyyy',
	'date.hint': 'day/month/year, e.g. {example}',
	'date.invalid': 'Not a date: write day/month/year'
};
