package faults

import (
	"context"
	"testing"

	"github.com/carebroker/carebroker/internal/postgres"
)

func TestOwnServersStartAndStop(t *testing.T) {
	pg := startPostgres(t)
	r := startRedis(t)
	db, err := postgres.Open(context.Background(), pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	var one int
	db.Raw("SELECT 1").Scan(&one)
	if one != 1 {
		t.Fatal("no answer")
	}
	pg.Stop()
	pg.Start()
	r.Stop()
	r.Start()
}
