export {
	reportGet as GET,
	reportUpdate as POST,
	reportUpdate as PATCH
} from '$lib/server/incidents/api';
