package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/providers"
	"github.com/carebroker/carebroker/providers/openreferral"
)

const importUsage = "usage: carebroker import [--format cqc-csv|openreferral|ons-postcodes] FILE|-"

// importFile imports a provider directory file (or a postcode lookup) and
// prints the report. The format defaults to openreferral for .json files
// and cqc-csv otherwise.
func importFile(ctx context.Context, args []string, stdin io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(out)
	format := fs.String("format", "", "cqc-csv, openreferral or ons-postcodes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf(importUsage)
	}
	path := fs.Arg(0)
	if *format == "" {
		*format = providers.FormatCQC
		if strings.HasSuffix(strings.ToLower(path), ".json") {
			*format = openreferral.Format
		}
	}
	var in io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	_, db, _, err := open(ctx, io.Discard)
	if err != nil {
		return err
	}
	if err := postgres.Migrate(ctx, db); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	store := providers.NewStore(db)
	switch *format {
	case "ons-postcodes":
		rep, err := store.ImportPostcodes(ctx, accounts.SystemActor, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "postcode lookup: read %d, loaded %d, skipped %d\n", rep.Read, rep.Loaded, rep.Skipped)
		for _, is := range rep.Issues {
			fmt.Fprintf(out, "  %s: %s (value %q)\n", is.Where(), is.Problem, is.Value)
		}
		return nil
	case providers.FormatCQC, openreferral.Format:
	default:
		return fmt.Errorf("unknown format %q; %s", *format, importUsage)
	}
	var batch providers.ImportBatch
	if *format == providers.FormatCQC {
		batch, err = providers.ParseCQC(in)
	} else {
		batch, err = openreferral.Parse(in)
	}
	if err != nil {
		return err
	}
	rep, err := store.Import(ctx, accounts.SystemActor, batch)
	if err != nil {
		return err
	}
	rep.Print(out)
	return nil
}
