package matching

import (
	"math"
	"strconv"
	"strings"
)

// Index is a provider directory prepared for fast matching: for each service type, a spatial grid
// per band of coverage radius, and a table of services that cover by postcode district. Matching
// one request then costs time in proportion to the services of a fitting type near the person, not
// to the size of the directory. An Index is read-only once built and safe for concurrent use.
type Index struct {
	p      *policy
	dir    directory
	byType [numServiceTypes]typeIndex
}

type typeIndex struct {
	grids     []*grid            // one per band of coverage radius, smallest first
	districts map[string][]int32 // upper-case postcode district -> services listing it
}

// NewIndex validates the services and the configuration and builds an Index over them. It keeps
// the services, which must not be changed afterwards. It returns a *FieldError naming the first
// invalid field, such as "services[12].rates[0].pence", or a duplicate service ID.
func NewIndex(services []Service, cfg Config) (*Index, error) {
	p, err := compile(cfg)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]int, len(services))
	for i := range services {
		if err := services[i].validate(); err != nil {
			return nil, within(indexed("services", i), err)
		}
		if j, dup := seen[services[i].ID]; dup {
			return nil, fieldErr(indexed("services", i)+".id", "duplicates services["+strconv.Itoa(j)+"].id "+services[i].ID)
		}
		seen[services[i].ID] = i
	}
	ix := &Index{p: p, dir: newDirectory(services)}
	type bucket struct {
		items      []gridItem
		lats, lons []float64
	}
	var bands [numServiceTypes][]bucket
	for i := range services {
		s := &services[i]
		ti := &ix.byType[s.ServiceType]
		if len(s.Coverage.PostcodeDistricts) > 0 {
			if ti.districts == nil {
				ti.districts = make(map[string][]int32)
			}
			for _, d := range s.Coverage.PostcodeDistricts {
				key := strings.ToUpper(strings.TrimSpace(d))
				if list := ti.districts[key]; len(list) == 0 || list[len(list)-1] != int32(i) {
					ti.districts[key] = append(list, int32(i))
				}
			}
			continue
		}
		radius := p.radiusOf(s)
		band := bandOf(radius)
		for len(bands[s.ServiceType]) <= band {
			bands[s.ServiceType] = append(bands[s.ServiceType], bucket{})
		}
		b := &bands[s.ServiceType][band]
		b.items = append(b.items, gridItem{at: pointOf(s.Lat, s.Lon), radiusKm: radius,
			hLimit: haversineWithin(radius + p.NearMissKm), service: int32(i)})
		b.lats, b.lons = append(b.lats, s.Lat), append(b.lons, s.Lon)
	}
	for t := range bands {
		for _, b := range bands[t] {
			if len(b.items) == 0 {
				continue
			}
			reach := 0.0
			for _, it := range b.items {
				reach = max(reach, it.radiusKm)
			}
			// Half the search radius per cell: the cells scanned hold about twice the search
			// circle's area, and a query visits about 25 of them.
			g := newGrid(b.items, b.lats, b.lons, max(0.5, (reach+p.NearMissKm)/2))
			ix.byType[t].grids = append(ix.byType[t].grids, g)
		}
	}
	return ix, nil
}

// bandOf groups coverage radii by powers of two (up to 1 km, 2 km, 4 km and so on), so that one
// wide-ranging service does not widen the search for all the others.
func bandOf(radiusKm float64) int {
	if radiusKm <= 1 {
		return 0
	}
	return int(math.Ceil(math.Log2(radiusKm)))
}

// Len returns the number of services in the index.
func (ix *Index) Len() int { return len(ix.dir.services) }

// Match ranks the services that can take the request and explains the near misses. It considers
// services of a fitting type that cover the person's location, together with services covering by
// radius that lie within Config.NearMissKm beyond their coverage; services of other types or
// further away are not listed. It returns a *FieldError if the request is invalid.
func (ix *Index) Match(req Request) (Result, error) {
	var res Result
	err := ix.MatchInto(&req, &res)
	return res, err
}

// MatchInto is Match writing into res, reusing its memory: a caller matching many requests in
// turn allocates nothing per request once res has grown. Earlier contents of res are overwritten,
// including the Notes and Reasons slices of earlier results.
func (ix *Index) MatchInto(req *Request, res *Result) error {
	if err := req.validate(); err != nil {
		return within("request", err)
	}
	pr := prepare(req)
	res.begin(req)
	ix.collect(req.ServiceType, &pr, res)
	if req.GenericAlternative != 0 {
		ix.collect(req.GenericAlternative, &pr, res)
	}
	ix.p.finish(res, &pr, &ix.dir)
	return nil
}

// collect considers the services of type t near the person.
func (ix *Index) collect(t ServiceType, pr *prepared, res *Result) {
	ti := &ix.byType[t]
	near := ix.p.NearMissKm
	for _, g := range ti.grids {
		g.visit(boxAround(pr.req.Lat, pr.req.Lon, g.reachKm+near), func(it *gridItem) {
			h := haversine(pr.at, it.at)
			if h > it.hLimit {
				return
			}
			if dist := kmOfHaversine(h); dist <= it.radiusKm+near {
				ix.p.consider(res, pr, &ix.dir.services[it.service], it.service, dist)
			}
		})
	}
	if pr.district != "" && ti.districts != nil {
		for _, i := range ti.districts[strings.ToUpper(pr.district)] {
			s := &ix.dir.services[i]
			ix.p.consider(res, pr, s, i, distanceKm(pr.at, pointOf(s.Lat, s.Lon)))
		}
	}
}
