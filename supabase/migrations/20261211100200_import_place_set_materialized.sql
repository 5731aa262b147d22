-- Set-based placement, materialized per level (issue 16): in 20261211100000 the CTEs of
-- private.import_place_set were inlined and the sub-district's GiST look-up was evaluated again in
-- each use of its result (three times a point, the district's twice): measured on 10,000 points,
-- 2.0–3.4 s against 1.4–3.1 s for import_place_row row by row. Each level is now computed once.
-- Same answers. See supabase/schemas/60_imports.sql.

create or replace function private.import_place_set(
  p_ord integer[], p_lon double precision[], p_lat double precision[], p_prec smallint[],
  p_pcode text[], p_admin1 text[], p_admin2 text[], p_admin3 text[])
returns table (ord integer, lon double precision, lat double precision, geo_precision smallint,
               admin1_pcode text, admin2_pcode text, admin3_pcode text, problem jsonb)
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with r as (
    select u.ord, u.lon, u.lat, u.prec, nullif(trim(u.pcode), '') as pcode,
           coalesce(trim(u.a1), '') as n1, coalesce(trim(u.a2), '') as n2, coalesce(trim(u.a3), '') as n3,
           (u.lon is not null and u.lat is not null) as has_point
    from unnest(p_ord, p_lon, p_lat, p_prec, p_pcode, p_admin1, p_admin2, p_admin3)
           as u(ord, lon, lat, prec, pcode, a1, a2, a3)
  ),
  l3 as materialized (
    select p.lon, p.lat, g.pt,
           coalesce((select a.pcode from public.areas a
                      where a.level = 3 and st_intersects(a.geom, g.pt) limit 1),
                    (select a.pcode from public.areas a
                      where a.level = 3 and st_dwithin(a.geom, g.pt, 0.1)
                      order by a.geom <-> g.pt limit 1)) as a3
    from (select distinct r.lon, r.lat from r where r.has_point) p
    cross join lateral (select st_setsrid(st_point(p.lon, p.lat), 4326) as pt) g
  ),
  l2 as materialized (
    select l.lon, l.lat, l.pt, l.a3,
           coalesce((select a.parent_pcode from public.areas a where a.pcode = l.a3),
                    (select a.pcode from public.areas a
                      where a.level = 2 and st_intersects(a.geom, l.pt) limit 1),
                    (select a.pcode from public.areas a
                      where a.level = 2 and st_dwithin(a.geom, l.pt, 0.1)
                      order by a.geom <-> l.pt limit 1)) as a2
    from l3 l
  ),
  pts as materialized (
    select l.lon, l.lat, l.a3, l.a2,
           coalesce((select a.parent_pcode from public.areas a where a.pcode = l.a2),
                    (select a.pcode from public.areas a
                      where a.level = 1 and st_intersects(a.geom, l.pt) limit 1),
                    (select a.pcode from public.areas a
                      where a.level = 1 and st_dwithin(a.geom, l.pt, 0.1)
                      order by a.geom <-> l.pt limit 1)) as a1
    from l2 l
  ),
  by_names as materialized (
    select n.n1, n.n2, n.n3, pb.pcode, pb.problem
    from (select distinct r.n1, r.n2, r.n3 from r
           where r.pcode is null and (not r.has_point or r.n1 <> '' or r.n2 <> '' or r.n3 <> '')) n
    cross join lateral public.place_by_names(nullif(n.n1, ''), nullif(n.n2, ''), nullif(n.n3, '')) pb
  ),
  anchors as materialized (
    select t.pcode, an.lon, an.lat, an.admin1_pcode, an.admin2_pcode, an.admin3_pcode
    from (select distinct r.pcode from r where not r.has_point and r.pcode is not null
          union
          select bn.pcode from by_names bn where bn.pcode is not null) t
    cross join lateral public.area_anchor(t.pcode) an
  ),
  placed as (
    select r.*, p.a1, p.a2, p.a3, pa.pcode as given, bn.pcode as by_name, bn.problem as name_problem,
           na.pcode as named, na.name_en as named_name,
           case na.level when 1 then p.a1 when 2 then p.a2 when 3 then p.a3 end as named_in
    from r
    left join pts p on r.has_point and p.lon = r.lon and p.lat = r.lat
    left join public.areas pa on pa.pcode = r.pcode
    left join by_names bn on r.pcode is null and bn.n1 = r.n1 and bn.n2 = r.n2 and bn.n3 = r.n3
    left join public.areas na on r.has_point
                             and na.pcode = case when r.pcode is not null then r.pcode
                                                 when bn.problem is null then bn.pcode end
  )
  select x.ord,
         case when x.has_point then x.lon else an.lon end,
         case when x.has_point then x.lat else an.lat end,
         case when x.has_point then coalesce(x.prec, 1::smallint) else 3::smallint end,
         case when x.has_point then x.a1 else an.admin1_pcode end,
         case when x.has_point then x.a2 else an.admin2_pcode end,
         case when x.has_point then x.a3 else an.admin3_pcode end,
         case
           when x.has_point then
             case
               when x.a1 is null and (select exists (select 1 from public.areas)) then
                 jsonb_build_object('row', x.ord, 'field', 'lat', 'level', 'warning',
                   'reason', format('the point %s, %s (lat, lon) is outside every known admin area; check the coordinates and their order',
                                    round(x.lat::numeric, 5), round(x.lon::numeric, 5)))
               when x.named is not null and x.named_in is distinct from x.named then
                 jsonb_build_object('row', x.ord, 'field', case when x.pcode is not null then 'admin_pcode' else 'lat' end, 'level', 'warning',
                   'reason', format('the point %s, %s (lat, lon) lies in %s, not in %s (%s) that the row names',
                                    round(x.lat::numeric, 5), round(x.lon::numeric, 5),
                                    coalesce((select ar.name_en || ' (' || ar.pcode || ')' from public.areas ar where ar.pcode = x.named_in), 'another area'),
                                    x.named_name, x.named))
             end
           when x.pcode is not null then
             case when x.given is null then
               jsonb_build_object('row', x.ord, 'field', 'admin_pcode', 'level', 'error',
                 'reason', format('no coordinates, and no area has the P-code %s', left(x.pcode, 40)))
             end
           else x.name_problem || jsonb_build_object('row', x.ord)
         end
  from placed x
  left join anchors an on not x.has_point and an.pcode = coalesce(x.given, x.by_name)
$$;
