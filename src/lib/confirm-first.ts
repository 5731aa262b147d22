import type { SubmitFunction } from '@sveltejs/kit';

/**
 * use:enhance for a form that undoes something (revoking tokens, disabling a user): the
 * browser's confirm() asks first. Cancel sends nothing; OK submits and the page updates as after
 * any enhanced form. The question is read at the click, not when the form mounts, so it is in the
 * language chosen since (enhance keeps the function it was given first).
 */
export const confirmFirst =
	(question: () => string): SubmitFunction =>
	({ cancel }) => {
		if (!confirm(question())) return cancel();
		return async ({ update }) => update();
	};
