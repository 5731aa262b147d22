export { exportsGet as GET } from '$lib/server/incidents/api';
