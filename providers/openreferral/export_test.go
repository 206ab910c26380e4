package openreferral

import (
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/providers"
)

// TestPageSizeIsTheNumberOnThePage renders the pages of 611 services 50 at
// a time: the standard's Page defines size as the number of entities in
// the current page, so the last page says 11, not the 50 asked for.
func TestPageSizeIsTheNumberOnThePage(t *testing.T) {
	t.Parallel()
	entries := func(n int) []providers.DirectoryEntry {
		out := make([]providers.DirectoryEntry, n)
		for i := range out {
			out[i].Service.ID = uuid.New()
			out[i].Service.Status = providers.ServiceActive
		}
		return out
	}
	for _, tt := range []struct {
		page, onPage, wantSize int
		last, empty            bool
	}{
		{page: 1, onPage: 50, wantSize: 50},
		{page: 13, onPage: 11, wantSize: 11, last: true},
		{page: 14, onPage: 0, wantSize: 0, last: true, empty: true},
	} {
		p := NewPage(entries(tt.onPage), tt.page, 50, 611)
		if p.Size != tt.wantSize || len(p.Contents) != tt.onPage || p.TotalPages != 13 || p.LastPage != tt.last || p.Empty != tt.empty {
			t.Errorf("page %d: size %d, %d services, %d pages, last %v, empty %v; want size %d", tt.page, p.Size, len(p.Contents),
				p.TotalPages, p.LastPage, p.Empty, tt.wantSize)
		}
	}
}
