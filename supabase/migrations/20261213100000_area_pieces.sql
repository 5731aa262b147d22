-- Point-in-polygon on pieces of the area outlines (issue 16, B1: the import's placement).
--
-- area_pieces holds each area's outline cut by ST_Subdivide into pieces of at most 256 vertices,
-- with a GiST index; a trigger on areas keeps it current (insert, change of outline, level or
-- P-code; a deleted area's pieces go with it by the foreign key). area_at (and so
-- incident_areas, the per-incident placement) and the import's set-based placement
-- (private.import_place_set) test a point against the few small pieces whose boxes hold it
-- rather than whole outlines: the pieces cover their area exactly, so the answers are the same,
-- except for ties. A point on an edge two areas share, or equally near two areas, took whichever
-- the index met first ("limit 1" without an order); it now takes the lower P-code, in both the
-- one-row and the set-based placement, so the two still agree row for row
-- (tests/integration/import-place-set.test.ts).

create table public.area_pieces (
  pcode  text not null references public.areas (pcode) on delete cascade on update cascade,
  level  smallint not null,
  geom   geometry(Polygon, 4326) not null
);

create index area_pieces_geom_idx on public.area_pieces using gist (geom);

create index area_pieces_pcode_idx on public.area_pieces (pcode);

alter table public.area_pieces enable row level security;

create policy "Signed-in users can read the pieces of area outlines" on public.area_pieces
  for select to authenticated using ((select public.current_app_role()) is not null);

grant select on public.area_pieces to authenticated;

create function private.area_pieces_follow() returns trigger
language plpgsql security definer
set search_path = public, extensions, pg_temp
as $$
begin
  if tg_op = 'UPDATE' then
    delete from public.area_pieces where pcode in (old.pcode, new.pcode);
  end if;
  insert into public.area_pieces (pcode, level, geom)
  select new.pcode, new.level, p.geom
  from st_subdivide(new.geom, 256) p(geom);
  return null;
end
$$;

create trigger areas_pieces after insert or update of pcode, level, geom on public.areas
  for each row execute function private.area_pieces_follow();

-- The areas already loaded.
insert into public.area_pieces (pcode, level, geom)
select a.pcode, a.level, p.geom
from public.areas a cross join lateral st_subdivide(a.geom, 256) p(geom);

analyze public.area_pieces;

create or replace function public.area_at(p_lon double precision, p_lat double precision, p_level integer)
returns text
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(
    (select p.pcode from public.area_pieces p
      where p.level = p_level and st_intersects(p.geom, st_setsrid(st_point(p_lon, p_lat), 4326))
      order by p.pcode limit 1),
    (select p.pcode from public.area_pieces p
      where p.level = p_level
        and st_dwithin(p.geom, st_setsrid(st_point(p_lon, p_lat), 4326), 0.1)
      order by p.geom <-> st_setsrid(st_point(p_lon, p_lat), 4326), p.pcode
      limit 1)
  )
$$;

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
           coalesce((select a.pcode from public.area_pieces a
                      where a.level = 3 and st_intersects(a.geom, g.pt) order by a.pcode limit 1),
                    (select a.pcode from public.area_pieces a
                      where a.level = 3 and st_dwithin(a.geom, g.pt, 0.1)
                      order by a.geom <-> g.pt, a.pcode limit 1)) as a3
    from (select distinct r.lon, r.lat from r where r.has_point) p
    cross join lateral (select st_setsrid(st_point(p.lon, p.lat), 4326) as pt) g
  ),
  l2 as materialized (
    select l.lon, l.lat, l.pt, l.a3,
           coalesce((select a.parent_pcode from public.areas a where a.pcode = l.a3),
                    (select a.pcode from public.area_pieces a
                      where a.level = 2 and st_intersects(a.geom, l.pt) order by a.pcode limit 1),
                    (select a.pcode from public.area_pieces a
                      where a.level = 2 and st_dwithin(a.geom, l.pt, 0.1)
                      order by a.geom <-> l.pt, a.pcode limit 1)) as a2
    from l3 l
  ),
  pts as materialized (
    select l.lon, l.lat, l.a3, l.a2,
           coalesce((select a.parent_pcode from public.areas a where a.pcode = l.a2),
                    (select a.pcode from public.area_pieces a
                      where a.level = 1 and st_intersects(a.geom, l.pt) order by a.pcode limit 1),
                    (select a.pcode from public.area_pieces a
                      where a.level = 1 and st_dwithin(a.geom, l.pt, 0.1)
                      order by a.geom <-> l.pt, a.pcode limit 1)) as a1
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
