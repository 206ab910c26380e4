package agreements

import (
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"
)

// RenderPDF writes the agreement document as an A4 PDF. The output depends
// only on the agreement: its dates are the agreement's creation time, so
// the same agreement always renders to the same bytes.
func RenderPDF(w io.Writer, a Agreement, council string) error {
	return renderPDF(w, a, Council{Name: council})
}

func renderPDF(w io.Writer, a Agreement, council Council) error {
	m := modelOf(a, council)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(a.CreatedAt.UTC())
	pdf.SetModificationDate(a.CreatedAt.UTC())
	pdf.SetCatalogSort(true)
	pdf.SetTitle(m.Title+" "+m.Reference, true)
	pdf.SetAuthor(council.Name, true)
	pdf.SetProducer("carebroker", false)
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 20)
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: £, accents, curly quotes
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 10, tr(fmt.Sprintf("%s  -  page %d of {nb}", m.Reference, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 20)
	pdf.CellFormat(0, 10, tr(m.Title), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(0, 8, tr(m.Reference), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 6, tr("Status: "+m.Status+". Made on "+m.MadeOn+"."), "", 1, "L", false, 0, "")
	pdf.Ln(3)

	const labelWidth = 60
	for _, s := range m.Sections {
		pdf.SetFont("Helvetica", "B", 13)
		pdf.CellFormat(0, 9, tr(s.Heading), "B", 1, "L", false, 0, "")
		pdf.Ln(1)
		for _, r := range s.Rows {
			pdf.SetFont("Helvetica", "B", 10)
			y := pdf.GetY()
			pdf.MultiCell(labelWidth, 6, tr(r.Label), "", "L", false)
			labelEnd := pdf.GetY()
			pdf.SetXY(20+labelWidth, y)
			pdf.SetFont("Helvetica", "", 10)
			pdf.MultiCell(0, 6, tr(r.Value), "", "L", false)
			if labelEnd > pdf.GetY() {
				pdf.SetY(labelEnd)
			}
		}
		pdf.Ln(3)
	}
	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 9, "Terms", "B", 1, "L", false, 0, "")
	pdf.Ln(1)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 5.5, tr(m.Terms0), "", "L", false)
	pdf.Ln(1)
	for i, t := range m.Terms {
		pdf.MultiCell(0, 5.5, tr(fmt.Sprintf("%d. %s", i+1, t)), "", "L", false)
		pdf.Ln(1)
	}
	return pdf.Output(w)
}
