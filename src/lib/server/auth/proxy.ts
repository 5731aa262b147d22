/**
 * Behind a reverse proxy the operator declares (TERRAIN_TRUST_PROXY=1), the scheme and the client
 * address come from X-Forwarded-Proto and X-Forwarded-For (adapter-node's PROTOCOL_HEADER and
 * ADDRESS_HEADER; XFF_DEPTH=1 takes the address the proxy itself appended). Without it, those
 * headers are ignored: any client could send them.
 */
import type { IncomingMessage } from 'node:http';
import { trustProxy } from './config.ts';

export interface ProxySetup {
	trusted: boolean;
	/** Fills in what a request that did not come through the proxy lacks. */
	prepare(req: IncomingMessage): void;
}

/** Sets adapter-node's variables; call before the built app's handler is imported. */
export function setUpProxy(env: NodeJS.ProcessEnv = process.env): ProxySetup {
	if (!trustProxy(env)) return { trusted: false, prepare() {} };
	env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
	env.ADDRESS_HEADER ??= 'x-forwarded-for';
	return {
		trusted: true,
		prepare(req) {
			// Reached directly (no proxy in between): plain http from the socket's address.
			const proto = req.headers['x-forwarded-proto'];
			const last = (Array.isArray(proto) ? proto.join(',') : (proto ?? '')).split(',').pop();
			req.headers['x-forwarded-proto'] = last?.trim().toLowerCase() === 'https' ? 'https' : 'http';
			if (!req.headers['x-forwarded-for'])
				req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
		}
	};
}
