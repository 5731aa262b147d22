/**
 * The part of OpenAPI 3.1 that Terrain's document uses, as types: each domain's openapi.ts
 * describes its paths with these, and api/openapi.ts assembles the document (no import loop).
 */

export type Ref = { $ref: string };
export interface Schema {
	type?: string | string[];
	format?: string;
	description?: string;
	enum?: readonly (string | number)[];
	items?: Schema | Ref;
	prefixItems?: (Schema | Ref)[];
	properties?: Record<string, Schema | Ref>;
	required?: readonly string[];
	additionalProperties?: boolean | Schema | Ref;
	minimum?: number;
	maximum?: number;
	minLength?: number;
	maxLength?: number;
	minItems?: number;
	maxItems?: number;
	default?: unknown;
	examples?: unknown[];
	oneOf?: (Schema | Ref)[];
	allOf?: (Schema | Ref)[];
	const?: unknown;
}
export interface Parameter {
	name: string;
	in: 'query' | 'path' | 'header' | 'cookie';
	required?: boolean;
	description?: string;
	schema: Schema | Ref;
	style?: 'form' | 'simple';
	explode?: boolean;
}
export interface Response {
	description: string;
	content?: Record<string, { schema: Schema | Ref }>;
}
export interface Operation {
	operationId: string;
	summary: string;
	description?: string;
	tags: string[];
	parameters?: (Parameter | Ref)[];
	requestBody?: { required: boolean; content: Record<string, { schema: Schema | Ref }> };
	responses: Record<string, Response | Ref>;
	security?: Record<string, string[]>[];
}
export type Method = 'get' | 'post' | 'patch' | 'delete';
export interface OpenApiDocument {
	openapi: '3.1.0';
	info: { title: string; version: string; description: string };
	servers: { url: string }[];
	security: Record<string, string[]>[];
	tags: { name: string; description: string }[];
	paths: Record<string, Partial<Record<Method, Operation>>>;
	components: {
		securitySchemes: Record<string, Record<string, string>>;
		parameters: Record<string, Parameter>;
		responses: Record<string, Response>;
		schemas: Record<string, Schema>;
	};
}
