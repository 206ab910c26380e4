package providers

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// geocode returns the coordinates of a normalised postcode from the lookup
// table; ok is false when the postcode is not in it.
func geocode(ctx context.Context, db *gorm.DB, postcode string) (lat, lon float64, ok bool, err error) {
	var rows []struct {
		Latitude  float64 `gorm:"column:latitude"`
		Longitude float64 `gorm:"column:longitude"`
	}
	err = db.WithContext(ctx).Raw(`SELECT latitude, longitude FROM postcode_lookup WHERE postcode = ?`, postcode).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return 0, 0, false, postgres.Translate(err)
	}
	return rows[0].Latitude, rows[0].Longitude, true, nil
}

// Geocode returns the coordinates of a UK postcode from the lookup table.
// It returns Invalid naming "postcode" for a malformed postcode and
// NotFound for one the lookup does not hold.
func (s *Store) Geocode(ctx context.Context, postcode string) (lat, lon float64, err error) {
	pc, ok := NormalisePostcode(postcode)
	if !ok {
		return 0, 0, errs.InvalidField("postcode", "%q is not a UK postcode like M41 5BU", postcode)
	}
	lat, lon, found, err := geocode(ctx, s.db.Gorm(ctx), pc)
	if err != nil {
		return 0, 0, err
	}
	if !found {
		return 0, 0, errs.NotFoundf("%s is not in the postcode lookup", pc)
	}
	return lat, lon, nil
}

// PostcodeReport says what a postcode lookup import did.
type PostcodeReport struct {
	Read    int           `json:"read"`
	Loaded  int           `json:"loaded"` // inserted or updated
	Skipped int           `json:"skipped"`
	Issues  []ImportIssue `json:"issues"`
}

// postcodeBatch is how many postcodes go in one INSERT.
const postcodeBatch = 1000

// maxPostcodeIssues bounds the issues a postcode import lists; the full
// ONS file has many postcodes without coordinates.
const maxPostcodeIssues = 200

// ImportPostcodes loads a postcode lookup in the ONS Postcode Directory's
// CSV layout: a header row naming the columns pcds (the postcode), lat and
// long (other columns are ignored). Rows without usable coordinates (the
// ONS writes 99.999999 for postcodes it cannot place) are skipped and
// reported. Only administrators may import. It returns Invalid naming
// "file" when the header lacks a column; the whole load is one transaction.
func (s *Store) ImportPostcodes(ctx context.Context, a accounts.Actor, r io.Reader) (PostcodeReport, error) {
	rep := PostcodeReport{Issues: []ImportIssue{}}
	if !a.Is(accounts.Admin, accounts.System) {
		return rep, errs.Forbiddenf("only administrators import the postcode lookup")
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return rep, errs.InvalidField("file", "has no header row: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"pcds", "lat", "long"} {
		if _, ok := col[need]; !ok {
			return rep, errs.InvalidField("file", "the header has no %q column (the ONS Postcode Directory columns pcds, lat, long are needed)", need)
		}
	}
	issue := func(line int, value, reason string) {
		rep.Skipped++
		if len(rep.Issues) < maxPostcodeIssues {
			rep.Issues = append(rep.Issues, ImportIssue{Line: line, Value: value, Problem: reason, Outcome: OutcomeRowSkipped})
		}
	}
	err = s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		batch := make([]any, 0, postcodeBatch*3)
		inBatch := map[string]int{} // postcode -> its index in batch; one INSERT may not name a postcode twice
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			n := len(batch) / 3
			sql := `INSERT INTO postcode_lookup (postcode, latitude, longitude) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?),", n), ",") +
				` ON CONFLICT (postcode) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude, imported_at = now()`
			if err := db.Exec(sql, batch...).Error; err != nil {
				return err
			}
			rep.Loaded += n
			batch = batch[:0]
			clear(inBatch)
			return nil
		}
		for line := 2; ; line++ {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				issue(line, "", "the row is not valid CSV: "+err.Error())
				continue
			}
			rep.Read++
			field := func(name string) string {
				if i := col[name]; i < len(rec) {
					return strings.TrimSpace(rec[i])
				}
				return ""
			}
			pc, ok := NormalisePostcode(field("pcds"))
			if !ok {
				issue(line, field("pcds"), "pcds is not a UK postcode")
				continue
			}
			lat, errLat := strconv.ParseFloat(field("lat"), 64)
			lon, errLon := strconv.ParseFloat(field("long"), 64)
			if errLat != nil || errLon != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
				issue(line, fmt.Sprintf("%s,%s", field("lat"), field("long")), "lat and long are not coordinates (the ONS writes 99.999999 for a postcode it cannot place)")
				continue
			}
			if i, dup := inBatch[pc]; dup {
				batch[i+1], batch[i+2] = lat, lon // the later row wins, as it would across batches
				continue
			}
			inBatch[pc] = len(batch)
			batch = append(batch, pc, lat, lon)
			if len(batch) == postcodeBatch*3 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "postcode_lookup.import", ObjectType: "postcode_lookup", ObjectID: "ons",
			Summary: map[string]int{"read": rep.Read, "loaded": rep.Loaded, "skipped": rep.Skipped}})
	})
	return rep, postgres.Translate(err)
}
