-- incident_rollup_months (whether whole months cover the dates) has had no caller since
-- incidents_sources took any dates (20261226100000): the readers of the month rollup compute the
-- whole months of their dates themselves. Dropped so that nothing new builds on it.
drop function public.incident_rollup_months(date, date);
