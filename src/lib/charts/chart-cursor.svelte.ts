/**
 * The item a chart's pointer or keyboard is on (a bar, a column, a day), for the charts that are
 * one tab stop walked with the arrow keys (BarList, ColumnChart, CalendarHeatmap). Each chart says
 * where a key goes (`move`: the next item, null to let go, undefined for a key it leaves alone),
 * where the walk starts (`first`) and how an item's element id ends (`idOf`).
 */
export interface CursorOptions<K> {
	onhover: () => ((k: K | null) => void) | undefined;
	move: (key: string, active: K | null) => K | null | undefined;
	first: () => K | null;
	idOf: (k: K) => string | number;
}

export class ChartCursor<K> {
	active = $state<K | null>(null);
	readonly uid: string;
	readonly #o: CursorOptions<K>;

	constructor(prefix: string, o: CursorOptions<K>) {
		this.uid = `${prefix}-${Math.random().toString(36).slice(2, 9)}`;
		this.#o = o;
	}

	activate = (k: K | null) => {
		this.active = k;
		this.#o.onhover()?.(k);
	};

	/** What ChartSvg needs to make the chart a listbox. */
	get listbox() {
		const a = this.active;
		return {
			activeId: a !== null ? `${this.uid}-${this.#o.idOf(a)}` : undefined,
			onkeydown: (e: KeyboardEvent) => {
				const next = this.#o.move(e.key, this.active);
				if (next === undefined) return;
				this.activate(next);
				e.preventDefault();
			},
			onfocus: () => this.active === null && this.activate(this.#o.first()),
			onblur: () => this.activate(null)
		};
	}
}
