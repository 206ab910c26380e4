package frontend

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
)

// matchingPages publish how providers are ranked, for everyone signed in:
// a broker explaining a ranking to a family, a provider wondering why it
// ranked where it did, the person themselves.
func matchingPages(f *Frontend, r *Router) {
	r.Get(weightsPath, f.howRanked, accounts.Roles...)
}

// weightsPath is the page of the published weights.
const weightsPath = "/how-providers-are-ranked"

type howRankedData struct {
	Weights  Table
	Quality  Table
	Excluded []string
	Total    int64
	ScaleKm  string
}

func (f *Frontend) howRanked(c *gin.Context) error {
	svc, err := f.brokerage()
	if err != nil {
		return err
	}
	w := svc.MatchingWeights()
	d := howRankedData{Excluded: w.Excluded, Total: w.Total,
		ScaleKm: fmt.Sprintf("%.0f km (%.1f miles)", w.DistanceScaleKm, w.DistanceScaleMi)}
	d.Weights = Table{Caption: "What each part of a score is worth", FirstCellIsHeader: true,
		Head: []Cell{{Text: "Part"}, {Text: "Points", Numeric: true}, {Text: "Share", Numeric: true}, {Text: "How a service earns them"}}}
	for _, p := range w.Parts {
		d.Weights.Rows = append(d.Weights.Rows, []Cell{{Text: p.Label}, {Text: fmt.Sprint(p.Weight), Numeric: true},
			{Text: fmt.Sprintf("%d%%", p.Share), Numeric: true}, {Text: p.How}})
	}
	d.Quality = Table{Caption: "Quality points by CQC rating", CaptionClass: "govuk-table__caption--s", FirstCellIsHeader: true,
		Head: []Cell{{Text: "CQC rating"}, {Text: "Share of the quality points", Numeric: true}}}
	for _, q := range w.Quality {
		d.Quality.Rows = append(d.Quality.Rows, []Cell{{Text: q.Rating}, {Text: fmt.Sprintf("%d%%", q.Percent), Numeric: true}})
	}
	return f.ok(c, "how_ranked", View{Title: "How providers are ranked", Data: d})
}
