/**
 * What a person types or chooses before the page's script has run stays typed.
 *
 * On a slow link the server's HTML is usable seconds before hydration. Hydration then sets every
 * `value={…}` input and select back to the server's value, so a date typed or an area chosen in
 * that gap was silently lost (or, worse, the form was sent with the server's value). Svelte keeps
 * early input only for `bind:value` inputs; this covers the rest, in one place for every form.
 *
 * `watchEarlyInput` runs when the client hooks load, before hydration: it notes the controls
 * that already differ from what the server sent, and every control changed until hydration ends.
 * `restoreEarlyInput` runs once the root layout has mounted: each noted control gets its value
 * back and fires input and change, so bindings and handlers see it as if typed now.
 */

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
type State = string | boolean;

const noted = new Map<Control, State>();
let watching = false;

/** File inputs cannot be set from script (the Import page reads its own); hidden ones are ours. */
function isControl(el: EventTarget | null): el is Control {
	if (el instanceof HTMLInputElement)
		return !['file', 'hidden', 'submit', 'button'].includes(el.type);
	return el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;
}

const isToggle = (el: Control): el is HTMLInputElement =>
	el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');

function stateOf(el: Control): State {
	if (isToggle(el)) return el.checked;
	if (el instanceof HTMLSelectElement && el.multiple)
		return JSON.stringify([...el.selectedOptions].map((o) => o.value));
	return el.value;
}

/** Whether the control now differs from the HTML the server sent. */
function changedFromServer(el: Control): boolean {
	if (isToggle(el)) return el.checked !== el.defaultChecked;
	if (el instanceof HTMLSelectElement && el.multiple)
		return [...el.options].some((o) => o.selected !== o.defaultSelected);
	if (el instanceof HTMLSelectElement) return el.selectedIndex !== defaultIndex(el);
	return el.value !== el.defaultValue;
}

/** The option a single select shows when nothing has been chosen: the last marked one, else the first. */
function defaultIndex(select: HTMLSelectElement): number {
	let index = select.size > 1 ? -1 : 0;
	[...select.options].forEach((o, i) => o.defaultSelected && (index = i));
	return index;
}

function apply(el: Control, state: State): void {
	if (isToggle(el)) el.checked = state as boolean;
	else if (el instanceof HTMLSelectElement && el.multiple) {
		const values = new Set(JSON.parse(state as string) as string[]);
		for (const o of el.options) o.selected = values.has(o.value);
	} else el.value = state as string;
}

function note(event: Event): void {
	if (isControl(event.target)) noted.set(event.target, stateOf(event.target));
}

export function watchEarlyInput(): void {
	if (watching || typeof document === 'undefined') return;
	watching = true;
	// After a reload or back/forward the browser itself refills forms from its memory; those
	// values belong to the page before, not to this one, so only a fresh load counts them.
	const nav = performance.getEntriesByType('navigation')[0] as
		PerformanceNavigationTiming | undefined;
	if (!nav || nav.type === 'navigate') {
		for (const el of document.querySelectorAll('input, select, textarea'))
			if (isControl(el) && changedFromServer(el)) noted.set(el, stateOf(el));
	}
	document.addEventListener('input', note, true);
	document.addEventListener('change', note, true);
}

export function restoreEarlyInput(): void {
	if (!watching) return;
	watching = false;
	document.removeEventListener('input', note, true);
	document.removeEventListener('change', note, true);
	for (const [el, state] of noted) {
		if (!el.isConnected || stateOf(el) === state) continue;
		apply(el, state);
		el.dispatchEvent(new Event('input', { bubbles: true }));
		el.dispatchEvent(new Event('change', { bubbles: true }));
	}
	noted.clear();
	// <details> toggled before the script ran (noted by app.html's inline script).
	for (const d of document.querySelectorAll<HTMLDetailsElement>('details[data-early-open]')) {
		d.open = d.dataset.earlyOpen === '1';
		delete d.dataset.earlyOpen;
	}
}
