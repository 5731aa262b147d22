import type { CallerUser } from '$lib/server/db/types';
import type { Locale } from '$lib/i18n';

declare global {
	namespace App {
		interface Locals {
			user: CallerUser | null;
			/** How the user was authenticated: browser session or personal API token. */
			authVia: 'session' | 'token' | null;
			locale: Locale;
		}
		interface Error {
			message: string;
			/** For the API: which query parameter or field was wrong. */
			parameter?: string;
		}
	}
}

export {};
