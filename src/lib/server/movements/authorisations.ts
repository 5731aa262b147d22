/**
 * Access authorisations (issue 11): letters and permits per area, staff member, vehicle or
 * equipment, and the check of a movement against them. Each verb is one SQL function run as the
 * caller (supabase/schemas/55_movements.sql): RLS decides who reads and who writes.
 */
import { z } from 'zod';
import { call } from '../analysis/index.ts';
import { rpc } from '../db/index.ts';
import type { CallerUser } from '../db/types.ts';
import { zIsoDate } from '../../domain/codes.ts';
import type { AuthorisationCheck } from '../../domain/movements.ts';

export const AUTHORISATION_KINDS = ['letter', 'permit', 'badge', 'other'] as const;
export const HOLDER_TYPES = ['organisation', 'staff', 'vehicle', 'equipment'] as const;

/** A body for create (all required fields) or PATCH (merge: only what is sent changes). */
export const zAuthorisationFields = z
	.object({
		kind: z.enum(AUTHORISATION_KINDS),
		holder_type: z.enum(HOLDER_TYPES),
		user_id: z.string().uuid().nullable(),
		holder_name: z.string().max(200),
		plate: z.string().max(40).nullable(),
		pcode: z.string().max(20).nullable(),
		issued_by: z.string().uuid().nullable(),
		issued_by_name: z.string().max(200),
		valid_from: zIsoDate,
		valid_to: zIsoDate,
		reference: z.string().max(200),
		notes: z.string().max(4000)
	})
	.partial()
	.strict();
export type AuthorisationFields = z.infer<typeof zAuthorisationFields>;

export interface Authorisation extends Record<string, unknown> {
	id: string;
	kind: (typeof AUTHORISATION_KINDS)[number];
	holder_type: (typeof HOLDER_TYPES)[number];
	holder_name: string;
	plate: string | null;
	pcode: string | null;
	area_name: string | null;
	issued_by_name: string;
	valid_from: string;
	valid_to: string;
	reference: string;
	notes: string;
	status: 'valid' | 'expiring' | 'expired' | 'not_yet_valid';
}

export const listAuthorisations = (as: CallerUser, pcode?: string) =>
	call<Authorisation[]>('access_authorisations_list', { p_pcode: pcode ?? null, p_limit: 500 }, as);

export const getAuthorisation = (as: CallerUser, id: string) =>
	call<Authorisation>('access_authorisation_get', { p_id: id }, as);

/** Create (id null) or change one; merge semantics. */
export const saveAuthorisation = (as: CallerUser, id: string | null, fields: AuthorisationFields) =>
	call<Authorisation>('access_authorisation_save', { p_id: id, p_fields: fields }, as);

export const movementAuthorisations = (as: CallerUser, id: string) =>
	call<AuthorisationCheck>('movement_authorisations', { p_id: id }, as);

/** Authorisations ending soon raise their alert once (the server's timer, as the service role). */
export const sweepExpiringAuthorisations = () =>
	rpc<number>('private.authorisations_expiring_sweep', {}, 'service');
