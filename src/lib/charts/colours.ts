/** Colours of chart series: event types keep the map's colours; areas take a categorical palette. */
import { schemeTableau10 } from 'd3';
import { EVENT_TYPE_COLOURS, type EventType } from '../domain/taxonomy.ts';
import { OTHER } from './time-series.ts';

export const OTHER_COLOUR = '#9aa5a0';
export const NONE_COLOUR = '#c9d0cc';
export const SINGLE_COLOUR = '#2f5d50';

export function seriesColour(group: string, keys: readonly string[]): (key: string) => string {
	return (key) => {
		if (key === OTHER) return OTHER_COLOUR;
		if (key === 'none') return NONE_COLOUR;
		if (key === 'all') return SINGLE_COLOUR;
		if (group === 'type' && key in EVENT_TYPE_COLOURS)
			return `rgb(${EVENT_TYPE_COLOURS[key as EventType].join(',')})`;
		const i = keys.filter((k) => k !== OTHER && k !== 'none').indexOf(key);
		return schemeTableau10[(i < 0 ? 0 : i) % schemeTableau10.length];
	};
}
