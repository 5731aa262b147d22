export { reportMerge as POST, reportUnmerge as DELETE } from '$lib/server/incidents/api';
