package matching

import "math"

// earthRadiusKm is the mean Earth radius (IUGG), the usual constant for haversine distances.
const earthRadiusKm = 6371.0088

const degToRad = math.Pi / 180

// point is a location prepared for repeated distance sums: radians and the cosine of latitude.
type point struct {
	lat, lon, cosLat float64
}

func pointOf(latDeg, lonDeg float64) point {
	lat := latDeg * degToRad
	return point{lat: lat, lon: lonDeg * degToRad, cosLat: math.Cos(lat)}
}

// distanceKm is the great-circle distance by the haversine formula. The index and the plain
// matcher both call it with points made by pointOf, so they agree to the last bit.
func distanceKm(a, b point) float64 { return kmOfHaversine(haversine(a, b)) }

// haversine is the haversine of the central angle between a and b, from 0 to 1. It rises with
// distance, so comparing it with haversineWithin's bound rejects far points without the
// arcsine and square root.
func haversine(a, b point) float64 {
	sinLat := math.Sin((b.lat - a.lat) / 2)
	sinLon := math.Sin((b.lon - a.lon) / 2)
	return min(sinLat*sinLat+a.cosLat*b.cosLat*sinLon*sinLon, 1)
}

func kmOfHaversine(h float64) float64 { return 2 * earthRadiusKm * math.Asin(math.Sqrt(h)) }

// haversineWithin returns a bound on the haversine above which a point is certainly further
// than km away, with a margin far wider than rounding, so that a point it rejects could never
// have passed an exact test of its distance.
func haversineWithin(km float64) float64 {
	if km >= math.Pi*earthRadiusKm {
		return 1
	}
	s := math.Sin(km / (2 * earthRadiusKm))
	return s*s*(1+1e-9) + 1e-18
}

// DistanceKm returns the great-circle distance in kilometres between two places given in degrees.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	return distanceKm(pointOf(lat1, lon1), pointOf(lat2, lon2))
}

// box is a latitude and longitude range in degrees. When a search circle crosses the 180th
// meridian its longitudes are split into two ranges: lonMin..lonMax and wrapMin..wrapMax.
type box struct {
	latMin, latMax   float64
	lonMin, lonMax   float64
	wrapMin, wrapMax float64
	wrapped          bool
}

// boxAround returns a box holding every point within km of (latDeg, lonDeg), by the exact
// bounding box of a spherical cap (J. P. Matuschek, "Finding Points Within a Distance of a
// Latitude/Longitude Using Bounding Coordinates"), widened a hair against rounding.
func boxAround(latDeg, lonDeg, km float64) box {
	const pad = 1e-9 // degrees, about 0.1 mm
	r := km / earthRadiusKm
	lat := latDeg * degToRad
	b := box{latMin: (lat-r)/degToRad - pad, latMax: (lat+r)/degToRad + pad}
	if b.latMin <= -90 || b.latMax >= 90 || r >= math.Pi/2 {
		// The cap holds a pole: every longitude is in reach.
		b.latMin, b.latMax = math.Max(b.latMin, -90), math.Min(b.latMax, 90)
		b.lonMin, b.lonMax = -180, 180
		return b
	}
	dLon := math.Asin(math.Min(1, math.Sin(r)/math.Cos(lat)))/degToRad + pad
	b.lonMin, b.lonMax = lonDeg-dLon, lonDeg+dLon
	switch {
	case b.lonMin < -180:
		b.wrapped, b.wrapMin, b.wrapMax = true, b.lonMin+360, 180
		b.lonMin = -180
	case b.lonMax > 180:
		b.wrapped, b.wrapMin, b.wrapMax = true, -180, b.lonMax-360
		b.lonMax = 180
	}
	return b
}
