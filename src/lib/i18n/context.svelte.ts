import { getContext, setContext } from 'svelte';
import { dir, translator, type Locale, type Translate } from './index.ts';

/** The current locale and its translator, shared with every component through context. */
export class I18n {
	locale = $state<Locale>('en');
	t: Translate = $derived(translator(this.locale));
	dir = $derived(dir(this.locale));
	/** Arabic and Kurdish readers get a place's Arabic name where it has one; English and French readers its Latin one. */
	arabicScript = $derived(this.locale === 'ar' || this.locale === 'ku');
	constructor(locale: Locale) {
		this.locale = locale;
	}
}

const KEY = Symbol('i18n');
export const setI18n = (i: I18n) => setContext(KEY, i);
export const getI18n = () => getContext<I18n>(KEY);
