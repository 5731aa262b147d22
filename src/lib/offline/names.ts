/** Names shared by the service worker and the pages (which read and wipe the same caches). */
export const DATA_CACHE = 'terrain-data';
export const SHELL_PREFIX = 'terrain-shell-';
/** Header the service worker adds to what it keeps: when it was fetched (ISO 8601). */
export const STAMP = 'x-terrain-fetched-at';
export const OUTBOX_DB = 'terrain-outbox';
