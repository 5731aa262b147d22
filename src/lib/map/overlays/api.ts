// The map's overlays (issue 13 item 4) as the browser sees them: the list, one overlay's features,
// upload, share and delete through /api/v1/overlays. The server parses and checks the files; an
// error it sends ("file: feature 3 (Old road): invalid geometry (Self-intersection)") is shown as
// it is, because it already says what and where.
import type { FeatureCollection } from 'geojson';
import type { OverlayVisibility } from '../../domain/overlays.ts';

export interface OverlayStyle {
	colour: string;
	width: number;
	label_field: string | null;
}

export interface OverlaySummary {
	id: string;
	name: string;
	visibility: OverlayVisibility;
	style: OverlayStyle;
	source_file: string | null;
	mine: boolean;
	created_by: string | null;
	features: number;
	geometry_types: string[];
	bbox: [number, number, number, number] | null;
}

export type OverlayCollection = FeatureCollection & { overlay: OverlaySummary };

/** The files the server reads (its parse.ts decides; this only guides the file picker). */
export const OVERLAY_ACCEPT = '.kml,.kmz,.geojson,.json,.gpx';

export class OverlayApiError extends Error {
	constructor(
		message: string,
		readonly status: number
	) {
		super(message);
	}
}

async function send<T>(url: string, init?: RequestInit): Promise<T> {
	const r = await fetch(url, init);
	const body = await r.json().catch(() => null);
	if (!r.ok) {
		const b = body as { message?: string; parameter?: string } | null;
		const msg = b?.message ?? `HTTP ${r.status}`;
		// A FilterError names its parameter apart from its message.
		throw new OverlayApiError(b?.parameter ? `${b.parameter}: ${msg}` : msg, r.status);
	}
	return body as T;
}

export const listOverlays = (signal?: AbortSignal) =>
	send<OverlaySummary[]>('/api/v1/overlays', { signal });

export const overlayFeatures = (id: string, signal?: AbortSignal) =>
	send<OverlayCollection>(`/api/v1/overlays/${encodeURIComponent(id)}`, { signal });

export interface UploadInput {
	file: File;
	name: string;
	visibility: OverlayVisibility;
	colour: string;
}

export function uploadOverlay(u: UploadInput): Promise<OverlaySummary> {
	const form = new FormData();
	form.set('file', u.file);
	if (u.name.trim()) form.set('name', u.name.trim());
	form.set('visibility', u.visibility);
	form.set('colour', u.colour);
	return send<OverlaySummary>('/api/v1/overlays', { method: 'POST', body: form });
}

export const setVisibility = (id: string, visibility: OverlayVisibility) =>
	send<OverlaySummary>(`/api/v1/overlays/${encodeURIComponent(id)}`, {
		method: 'PATCH',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ visibility })
	});

export const deleteOverlay = (id: string) =>
	send<{ id: string }>(`/api/v1/overlays/${encodeURIComponent(id)}`, { method: 'DELETE' });

/**
 * The name shown for a feature: the overlay's label field, else the usual name properties of
 * KML (name), GeoJSON exports (name, NAME, Name) and GPX (name).
 */
export function featureLabel(
	props: Record<string, unknown> | null | undefined,
	labelField: string | null
): string | null {
	if (!props) return null;
	for (const k of [labelField, 'name', 'Name', 'NAME', 'title']) {
		if (!k) continue;
		const v = props[k];
		if (v !== null && v !== undefined && String(v).trim()) return String(v).trim();
	}
	return null;
}

/** A feature's description (KML <description>, GPX <desc>), as plain text. */
export function featureDescription(props: Record<string, unknown> | null | undefined) {
	const v = props?.description ?? props?.desc;
	if (typeof v !== 'string' || !v.trim()) return null;
	// KML descriptions are often HTML: shown as text, tags dropped, never as markup.
	return v
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 300);
}
