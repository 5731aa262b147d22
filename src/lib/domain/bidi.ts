/**
 * A left-to-right code (a P-code, a phone number) set inside right-to-left text: wrapped in
 * LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE, or its brackets and digit groups land on the
 * wrong side. Kept apart from the contact schema so pages that only need this do not load the
 * phone-number metadata.
 */
export function isolateLtr(s: string): string {
	return `\u2066${s}\u2069`;
}
