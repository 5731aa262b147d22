export const intl = {
	'lang.fr': 'Français',
	'nav.menu': 'Menu',
	'nav.main': 'Principal',
	'date.placeholder': 'jj/mm/aaaa',
	'date.hint': 'jour/mois/année, p. ex. {example}',
	'date.invalid': 'Ce n’est pas une date : écrivez jour/mois/année'
};
