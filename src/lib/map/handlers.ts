/**
 * Handlers by layer id (what a click or hover on a layer does). A plain Map on purpose: the map
 * looks handlers up when an event comes; nothing renders from them, so they are not state (and
 * this file is not a .svelte.ts one, where a bare Map would read as forgotten reactivity).
 */
export function handlerRegistry<T>() {
	return new Map<string, T>();
}
