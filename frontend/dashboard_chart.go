package frontend

import "math"

// BarChart is a horizontal bar chart drawn as SVG on the server (template
// "barChart"): one row per bar, its label on the left, its value written
// after the bar. Colours come from the stylesheet (app-chart classes), so
// the strict CSP holds. The chart is hidden from screen readers: the page
// gives the same figures in a table.
type BarChart struct {
	ID    string
	Title string
	Bars  []Bar
}

// Bar is one row of a chart. Text is the value as written ("3.5 days").
type Bar struct {
	Label string
	Value float64
	Text  string
	Class string // an extra class for the bar (app-chart__bar--alert ...)
}

// The chart's geometry, in SVG units (it scales to its container).
const (
	chartLabelWidth = 230
	chartBarSpace   = 380
	chartValueSpace = 150
	chartRowHeight  = 34
	chartBarHeight  = 22
)

// ChartRow is a bar laid out for the template.
type ChartRow struct {
	Bar
	Y, BarY, TextY int
	Width          int
	ValueX         int
}

// Width is the chart's width in SVG units.
func (c BarChart) Width() int { return chartLabelWidth + chartBarSpace + chartValueSpace }

// Height is the chart's height in SVG units.
func (c BarChart) Height() int { return len(c.Bars)*chartRowHeight + 8 }

// LabelWidth is where the bars start.
func (c BarChart) LabelWidth() int { return chartLabelWidth }

// Rows lays the bars out: the longest bar fills the space, the others in
// proportion; a value above zero is at least a sliver, so it shows.
func (c BarChart) Rows() []ChartRow {
	top := 0.0
	for _, b := range c.Bars {
		top = math.Max(top, b.Value)
	}
	rows := make([]ChartRow, len(c.Bars))
	for i, b := range c.Bars {
		w := 0
		if top > 0 {
			w = int(math.Round(b.Value / top * chartBarSpace))
		}
		if b.Value > 0 && w < 2 {
			w = 2
		}
		y := i*chartRowHeight + 4
		rows[i] = ChartRow{Bar: b, Y: y, BarY: y + (chartRowHeight-chartBarHeight)/2, TextY: y + chartRowHeight/2 + 6,
			Width: w, ValueX: chartLabelWidth + w + 8}
	}
	return rows
}
