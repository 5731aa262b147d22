/**
 * The report form's operating-area check: a point outside the area needs a confirmation naming
 * the country, and a lat/lon swap that lands inside is offered as a one-click fix. Asked of the
 * server once typing pauses; the server checks again on save, so a failed request only means no
 * warning.
 */
export type AreaAnswer = {
	inside: boolean;
	country: { name: string; name_ar: string; name_ku: string } | null;
	swap: { lon: number; lat: number } | null;
};

export class AreaCheck {
	area = $state<AreaAnswer | null>(null);
	confirmOutside = $state(false);

	/**
	 * Create it while a component initialises: it watches `point` with an effect. `skip` is true
	 * when the location is the stored one, unchanged (no check, no confirmation).
	 */
	constructor(point: () => { lon: number; lat: number } | null, skip: () => boolean) {
		$effect(() => {
			const p = point();
			this.confirmOutside = false;
			if (!p || skip()) {
				this.area = null;
				return;
			}
			const ctl = new AbortController();
			const timer = setTimeout(async () => {
				try {
					const r = await fetch(`/api/v1/sites/area-check?lon=${p.lon}&lat=${p.lat}`, {
						signal: ctl.signal
					});
					this.area = r.ok ? await r.json() : null;
				} catch {
					/* offline or superseded: the server checks again on save */
				}
			}, 300);
			return () => {
				clearTimeout(timer);
				ctl.abort();
			};
		});
	}

	/** Outside the area and not yet confirmed: the form must not be sent. */
	get blocks(): boolean {
		return !!this.area && !this.area.inside && !this.confirmOutside;
	}

	countryName(locale: string): string {
		const c = this.area?.country;
		if (!c) return '';
		return locale === 'ar' ? c.name_ar : locale === 'ku' ? c.name_ku : c.name;
	}
}
