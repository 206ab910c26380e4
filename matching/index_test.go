package matching

import (
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// public clears a match's bookkeeping, which differs between calls, leaving what callers see.
func public(m Match) Match {
	m.notesFrom, m.notesTo = 0, 0
	return m
}

func publicExclusion(e Exclusion) Exclusion { return e }

// listedByIndex is the documented contract of Index.Match: a service of a fitting type is
// examined when it covers the person or, covering by radius, lies within NearMissKm beyond it.
func listedByIndex(cfg Config, req *Request, s *Service, dist float64) bool {
	if ok, _ := fits(req, s.ServiceType); !ok {
		return false
	}
	if len(s.Coverage.PostcodeDistricts) > 0 {
		return listsDistrict(s, req.PostcodeDistrict)
	}
	radius := s.Coverage.RadiusKm
	if radius == 0 {
		radius = cfg.DefaultRadiusKm
	}
	return dist <= radius+cfg.NearMissKm
}

// TestIndexAgreesWithPlainMatching checks the fast path against the plain one on random
// directories: the same ranking, scores and reasons, and exactly the exclusions the contract says.
func TestIndexAgreesWithPlainMatching(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		reg := rapid.SampledFrom(regions).Draw(t, "region")
		cfg := genConfig(t)
		services := genDirectory(t, reg, 0, 40)
		ix, err := NewIndex(services, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var reused Result
		for _, req := range genRequests(t, reg, 1, 4) {
			plain, err := MatchServices(req, services, cfg)
			if err != nil {
				t.Fatal(err)
			}
			fast, err := ix.Match(req)
			if err != nil {
				t.Fatal(err)
			}
			if err := ix.MatchInto(&req, &reused); err != nil {
				t.Fatal(err)
			}
			for _, got := range []Result{fast, reused} {
				if len(got.Ranked) != len(plain.Ranked) {
					t.Fatalf("request %s: index ranked %d, plain %d", req.ID, len(got.Ranked), len(plain.Ranked))
				}
				for i := range plain.Ranked {
					if !reflect.DeepEqual(public(got.Ranked[i]), public(plain.Ranked[i])) {
						t.Fatalf("request %s rank %d:\nindex %+v\nplain %+v", req.ID, i+1, got.Ranked[i], plain.Ranked[i])
					}
				}
				var want []Exclusion
				for _, e := range plain.Excluded {
					if listedByIndex(cfg, &req, &services[e.service], e.DistanceKm) {
						want = append(want, publicExclusion(e))
					}
				}
				var gotEx []Exclusion
				for _, e := range got.Excluded {
					gotEx = append(gotEx, publicExclusion(e))
				}
				if !reflect.DeepEqual(gotEx, want) {
					t.Fatalf("request %s exclusions:\nindex %+v\nwant  %+v", req.ID, gotEx, want)
				}
			}
		}
	})
}

func TestNewIndexRejectsDuplicateIDs(t *testing.T) {
	t.Parallel()
	_, err := NewIndex([]Service{baseService(), baseService()}, DefaultConfig())
	if err == nil || err.Error() != "services[1].id: duplicates services[0].id S1" {
		t.Fatalf("error = %v", err)
	}
}

func TestBoxAroundHoldsTheCircle(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		lat := rapid.Float64Range(-90, 90).Draw(t, "lat")
		lon := rapid.Float64Range(-180, 180).Draw(t, "lon")
		km := rapid.Float64Range(0, 300).Draw(t, "km")
		// A point at a random bearing and distance within km must be in the box.
		bearing := rapid.Float64Range(0, 360).Draw(t, "bearing") * degToRad
		d := rapid.Float64Range(0, 1).Draw(t, "fraction") * km / earthRadiusKm
		lat1 := lat * degToRad
		lat2 := asin(sin(lat1)*cos(d) + cos(lat1)*sin(d)*cos(bearing))
		lon2 := lon*degToRad + atan2(sin(bearing)*sin(d)*cos(lat1), cos(d)-sin(lat1)*sin(lat2))
		pLat, pLon := lat2/degToRad, normaliseLon(lon2/degToRad)
		if DistanceKm(lat, lon, pLat, pLon) > km {
			return // rounding put the point just outside the circle
		}
		b := boxAround(lat, lon, km)
		inLon := (pLon >= b.lonMin && pLon <= b.lonMax) || (b.wrapped && pLon >= b.wrapMin && pLon <= b.wrapMax)
		if pLat < b.latMin || pLat > b.latMax || !inLon {
			t.Fatalf("point (%v, %v) at %v km of (%v, %v) is outside box %+v", pLat, pLon, DistanceKm(lat, lon, pLat, pLon), lat, lon, b)
		}
	})
}
