package agreements

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/pgtest"
)

func renderedAgreement() Agreement {
	n := sampleAgreement()
	n.Validate()
	pack := n.InformationPack
	return Agreement{
		ID: uuid.New(), Reference: "SA-2026-000123", RequestID: n.RequestID, PersonID: n.PersonID,
		ProviderOrgID: n.ProviderOrgID, PersonName: n.PersonName, ProviderName: "O'Brien & Daughters <Care> Ltd",
		ServiceName: n.ServiceName, ServiceType: n.ServiceType, Team: n.Team, HoursPerWeek: 14,
		HourlyRatePence: 2450, WeeklyCostPence: 123456, StartDate: n.StartDate, Reviews: ScheduleFor(n.StartDate),
		TermsVersion: TermsVersion, Funding: CouncilFunded, Status: Active, InformationPack: &pack,
		CreatedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
	}
}

// The numbers a reader checks, formatted as the pages format them.
var wantInDocument = []string{
	"SA-2026-000123", "Ada Lovelace", "Bridgewater Home Care (Salford)", "Home care",
	"£24.50", "£1,234.56", "1 December 2026", "by 4 December 2026",
	"between 12 January 2027 and 26 January 2027", "by 1 December 2027", "Made on 20 November 2026",
	"CB-2026.1", "Council-funded",
}

func TestHTMLDocumentShowsTheRightNumbers(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := RenderHTML(&buf, renderedAgreement(), "Salford City Council"); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range append(wantInDocument, "Salford City Council", "<dd>14</dd>") {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML document lacks %q", want)
		}
	}
	if !strings.Contains(html, "O&#39;Brien &amp; Daughters &lt;Care&gt; Ltd") {
		t.Error("the provider's name is not escaped")
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "style=") || strings.Contains(html, "<style") {
		t.Error("the document has script or inline style, which the CSP blocks")
	}
	// The information pack is the provider's, not part of the contract.
	if strings.Contains(html, "Babbage") || strings.Contains(html, "Falls") {
		t.Error("the document leaks the information pack")
	}
}

func TestPDFDocumentShowsTheRightNumbers(t *testing.T) {
	t.Parallel()
	a := renderedAgreement()
	var first, second bytes.Buffer
	if err := RenderPDF(&first, a, "Salford City Council"); err != nil {
		t.Fatal(err)
	}
	if err := RenderPDF(&second, a, "Salford City Council"); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(first.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatal("the same agreement rendered to different PDFs")
	}
	text := pdfText(t, first.Bytes())
	for _, want := range wantInDocument {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if !strings.Contains(text, "page 1 of 2") && !strings.Contains(text, "page 1 of 1") {
		t.Error("the PDF has no page numbers")
	}
}

// pdfText returns the text shown by a PDF made by fpdf: the string operands
// of its content streams, inflated, decoded from cp1252.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	streams := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(pdf, -1)
	var b strings.Builder
	for _, s := range streams {
		r, err := zlib.NewReader(bytes.NewReader(s[1]))
		if err != nil {
			continue
		}
		content, err := io.ReadAll(r)
		if err != nil {
			continue
		}
		for _, m := range regexp.MustCompile(`\(((?:\\.|[^\\)])*)\) ?Tj`).FindAllSubmatch(content, -1) {
			for _, c := range unescapePDF(m[1]) {
				if c == 0xA3 {
					b.WriteRune('£')
				} else {
					b.WriteByte(c)
				}
			}
			b.WriteByte('\n')
		}
	}
	// MultiCell breaks long values over lines; join them back.
	return strings.ReplaceAll(b.String(), "\n", " ")
}

func unescapePDF(s []byte) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		out = append(out, s[i])
	}
	return out
}

func TestDocumentAccess(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db, WithCouncilName("Salford City Council"))
	ctx := context.Background()
	n := sampleAgreement()
	a := create(t, s, db, accounts.SystemActor, n)
	org, otherOrg := n.ProviderOrgID, uuid.New()
	provider := user(t, db, accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &org})
	stranger := user(t, db, accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &otherOrg})
	fin := user(t, db, accounts.NewUser{Role: accounts.Finance})

	doc, err := s.Document(ctx, provider, a.ID, PDF)
	if err != nil || doc.ContentType != "application/pdf" || doc.Filename != a.Reference+".pdf" || !bytes.HasPrefix(doc.Body, []byte("%PDF")) {
		t.Fatalf("provider's PDF: %+v, %v", doc.Filename, err)
	}
	if !strings.Contains(pdfText(t, doc.Body), "£343.00") {
		t.Fatal("the stored agreement's PDF does not show its weekly cost")
	}
	if _, err := s.Document(ctx, stranger, a.ID, PDF); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another provider: %v, want NotFound", err)
	}
	if _, err := s.Document(ctx, fin, a.ID, HTML); !errs.Is(err, errs.NotFound) {
		t.Fatalf("finance before the notification reached it: %v, want NotFound", err)
	}
	w := newTestWorker(t, db, nil, "", nil)
	deliverDue(t, w)
	doc, err = s.Document(ctx, fin, a.ID, HTML)
	if err != nil || !strings.Contains(string(doc.Body), "Salford City Council") || doc.ContentType != "text/html; charset=utf-8" {
		t.Fatalf("finance's HTML: %v", err)
	}
	if _, err := s.Document(ctx, provider, a.ID, "docx"); !errs.Is(err, errs.Invalid) {
		t.Fatalf("unknown format: %v", err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM audit_events WHERE action = 'agreement.document' AND object_id = ?`, a.ID.String()); c != 2 {
		t.Fatalf("%d downloads audited, want 2", c)
	}
}
