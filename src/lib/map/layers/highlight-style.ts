// How IncidentHighlight draws: a ring of one colour that none of the event types, the density
// scale or the basemap uses (so a picked-out incident is told apart at a glance, and the tests can
// find its pixels), over a white veil that dims everything under it.
export const HIGHLIGHT_COLOUR: [number, number, number] = [106, 27, 154];
/** The veil's opacity over the basemap and the other incidents (0–255). */
export const VEIL_ALPHA = 120;
/** Ring width in pixels. */
export const RING_WIDTH = 2.5;
