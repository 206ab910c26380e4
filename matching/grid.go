package matching

import "math"

// kmPerDegree is the length of a degree of latitude on the haversine sphere.
const kmPerDegree = earthRadiusKm * degToRad

// maxCells bounds a grid's size; a directory spread over a continent gets coarser cells instead.
const maxCells = 1 << 20

// grid is a spatial index of the services of one type whose coverage radius falls in one band.
// Cells are a fixed number of degrees; items are stored cell by cell (compressed rows), so a query
// walks a few contiguous runs of memory and touches only services near the person.
type grid struct {
	reachKm          float64 // largest coverage radius in the grid
	lat0, lon0       float64 // south-west corner, degrees
	cellLat, cellLon float64 // cell size, degrees
	rows, cols       int
	start            []int32 // items of cell c are items[start[c]:start[c+1]]
	items            []gridItem
}

type gridItem struct {
	at       point
	radiusKm float64
	hLimit   float64 // haversineWithin(radiusKm + the near-miss distance)
	service  int32
}

// newGrid builds a grid over items; cellKm is the cell's side in kilometres.
func newGrid(items []gridItem, lats, lons []float64, cellKm float64) *grid {
	g := &grid{lat0: math.Inf(1), lon0: math.Inf(1)}
	latMax, lonMax := math.Inf(-1), math.Inf(-1)
	for i, it := range items {
		g.reachKm = max(g.reachKm, it.radiusKm)
		g.lat0, latMax = min(g.lat0, lats[i]), max(latMax, lats[i])
		g.lon0, lonMax = min(g.lon0, lons[i]), max(lonMax, lons[i])
	}
	midLat := (g.lat0 + latMax) / 2 * degToRad
	cos := max(math.Cos(midLat), 0.01)
	for {
		g.cellLat = cellKm / kmPerDegree
		g.cellLon = cellKm / (kmPerDegree * cos)
		g.rows = int((latMax-g.lat0)/g.cellLat) + 1
		g.cols = int((lonMax-g.lon0)/g.cellLon) + 1
		if g.rows*g.cols <= maxCells {
			break
		}
		cellKm *= 2
	}
	counts := make([]int32, g.rows*g.cols+1)
	cellOf := make([]int32, len(items))
	for i := range items {
		c := g.cell(lats[i], lons[i])
		cellOf[i] = int32(c)
		counts[c+1]++
	}
	for c := 1; c < len(counts); c++ {
		counts[c] += counts[c-1]
	}
	g.start = counts
	g.items = make([]gridItem, len(items))
	next := make([]int32, g.rows*g.cols)
	copy(next, counts)
	for i, it := range items {
		c := cellOf[i]
		g.items[next[c]] = it
		next[c]++
	}
	return g
}

func (g *grid) cell(lat, lon float64) int {
	r := min(int((lat-g.lat0)/g.cellLat), g.rows-1)
	c := min(int((lon-g.lon0)/g.cellLon), g.cols-1)
	return r*g.cols + c
}

// span returns the first and last cell index along an axis covering lo..hi degrees, or ok false
// when the range misses the grid.
func span(lo, hi, origin, size float64, n int) (first, last int, ok bool) {
	a := math.Floor((lo - origin) / size)
	b := math.Floor((hi - origin) / size)
	if b < 0 || a > float64(n-1) {
		return 0, 0, false
	}
	return int(max(a, 0)), int(min(b, float64(n-1))), true
}

// visit calls fn for every item in a cell touching the box.
func (g *grid) visit(b box, fn func(it *gridItem)) {
	r0, r1, ok := span(b.latMin, b.latMax, g.lat0, g.cellLat, g.rows)
	if !ok {
		return
	}
	g.visitLon(r0, r1, b.lonMin, b.lonMax, fn)
	if b.wrapped {
		g.visitLon(r0, r1, b.wrapMin, b.wrapMax, fn)
	}
}

func (g *grid) visitLon(r0, r1 int, lonMin, lonMax float64, fn func(it *gridItem)) {
	c0, c1, ok := span(lonMin, lonMax, g.lon0, g.cellLon, g.cols)
	if !ok {
		return
	}
	for r := r0; r <= r1; r++ {
		// Cells c0..c1 of a row are contiguous, and so are their items.
		from, to := g.start[r*g.cols+c0], g.start[r*g.cols+c1+1]
		for i := from; i < to; i++ {
			fn(&g.items[i])
		}
	}
}
