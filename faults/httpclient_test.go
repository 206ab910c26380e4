package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// call is one HTTP request's outcome: the status, or the transport error
// (a refused or cut connection) when there was no answer.
type call struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// client opens a connection for each request: servers come and go on ports
// that a later one may reuse, and a pooled connection to a dead one must
// never carry a request.
var client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

func do(method, url, token string, body any) call {
	return send(client, newJSONRequest(context.Background(), method, url, token, body))
}

func newJSONRequest(ctx context.Context, method, url, token string, body any) *http.Request {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		panic(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

func send(c *http.Client, req *http.Request) call {
	resp, err := c.Do(req)
	if err != nil {
		return call{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return call{status: resp.StatusCode, header: resp.Header, body: b, err: err}
}
