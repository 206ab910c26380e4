package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/carebroker/carebroker/demo"
)

// demoUsers prints the demo users and their passwords as JSON, for the
// browser tests. It refuses unless DEV=1: the passwords derive from
// DEMO_SEED, and a production database has no business answering this.
func demoUsers(ctx context.Context, stdout, stderr io.Writer) error {
	cfg, db, _, err := open(ctx, stderr)
	if err != nil {
		return err
	}
	if !cfg.Dev {
		return fmt.Errorf("demo-users: only with DEV=1 (it prints passwords)")
	}
	creds, err := demo.Credentials(ctx, db)
	if err != nil {
		return err
	}
	type user struct {
		Role     string `json:"role"`
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	out := []user{}
	for _, c := range creds {
		out = append(out, user{Role: string(c.Role), Email: c.Email, Password: c.Password})
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
