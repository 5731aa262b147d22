/**
 * OpenAPI paths of alert rules: /alerts/rules… (handlers in src/routes/api/v1/alerts/rules, verbs
 * in ./index.ts). The alerts themselves are documented with movements (../movements/openapi.ts).
 */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import { answers, bodyOf, created, ok, pathId } from '../api/openapi-kit.ts';
import { EVENT_TYPES } from '../../domain/taxonomy.ts';
import {
	ALERT_RULE_LISTENS,
	ALERT_RULE_SERIOUSNESS,
	ALERT_RULE_TARGETS,
	CHECKPOINT_STATUSES
} from '../../domain/alerts.ts';

const ruleFields: Schema = {
	type: 'object',
	properties: {
		name: { type: 'string', maxLength: 200 },
		enabled: { type: 'boolean' },
		event_types: {
			type: 'array',
			description: 'Empty: every category',
			items: { enum: [...EVENT_TYPES] }
		},
		seriousness: {
			enum: [...ALERT_RULE_SERIOUSNESS],
			description:
				'ngo: serious, affecting NGOs or affecting us; serious: aid workers killed, hurt or abducted'
		},
		min_fatalities: { type: 'integer', minimum: 0 },
		target: {
			enum: [...ALERT_RULE_TARGETS],
			description:
				'sites: within radius_km of our open sites (site_ids, or all); movements: of the route of an approved or under-way movement you may read; areas: in the P-codes given'
		},
		radius_km: { type: 'number', minimum: 0, maximum: 200, description: 'more than 0' },
		site_ids: { type: 'array', items: { type: 'string', format: 'uuid' } },
		pcodes: { type: 'array', items: { type: 'string' } },
		max_age_days: {
			type: 'integer',
			minimum: 0,
			maximum: 3660,
			description: 'Incidents older than this (event date) never fire'
		},
		email: {
			type: 'boolean',
			description: 'Also send the alert by e-mail (when SMTP is configured)'
		},
		listens_to: {
			enum: [...ALERT_RULE_LISTENS],
			description:
				'incidents (default); area_level: a security level recorded for one of the areas (target areas; their parents and children count); checkpoint_status: a checkpoint within radius_km of the sites (target sites) or in the areas (target areas) changing status'
		},
		min_level: {
			type: ['integer', 'null'],
			minimum: 1,
			maximum: 5,
			description: 'area_level rules: only a level this high or higher (null: any change)'
		},
		checkpoint_status: {
			oneOf: [{ enum: [...CHECKPOINT_STATUSES] }, { type: 'null' }],
			description: 'checkpoint_status rules: only a change to this status (null: any change)'
		}
	}
};
const rule: Schema = {
	type: 'object',
	description: 'A rule: the fields above plus id, owner_id, created_at, updated_at',
	properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } }
};
const tags = ['alerts'];

export const alertRulePaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/alerts/rules': {
		get: {
			operationId: 'listAlertRules',
			summary:
				'The caller’s alert rules (subscriptions to incidents near sites, movements or areas)',
			tags,
			responses: answers(ok('Rules', { type: 'array', items: rule }))
		},
		post: {
			operationId: 'createAlertRule',
			summary:
				'A new alert rule for the caller; evaluated in the database on every incident written',
			tags,
			requestBody: bodyOf({ ...ruleFields, required: ['name', 'target'] }),
			responses: created(ok('The rule', rule), '400')
		}
	},
	'/alerts/rules/{id}': {
		patch: {
			operationId: 'updateAlertRule',
			summary: 'Change one of the caller’s rules (merge semantics)',
			tags,
			parameters: [pathId('Rule id')],
			requestBody: bodyOf(ruleFields),
			responses: answers(ok('The rule', rule), '400', '404')
		},
		delete: {
			operationId: 'deleteAlertRule',
			summary: 'Remove one of the caller’s rules',
			tags,
			parameters: [pathId('Rule id')],
			responses: answers(ok('Removed', { type: 'object' }), '404')
		}
	}
};
