// Package mailpittest lets tests send email to a real SMTP server, Mailpit,
// and read what arrived through its HTTP API. Test-only.
//
// The shared Mailpit (scripts/services.sh starts it) is found by SMTP_URL
// and MAILPIT_API (default smtp://127.0.0.1:1025 and
// http://127.0.0.1:8025). Tests share it, so each test sends to addresses
// of its own and reads only those (Messages); nothing is deleted. Start
// runs a Mailpit of the test's own, for a test that needs one alone.
package mailpittest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Mailpit is one Mailpit server: where to send and where to read.
type Mailpit struct {
	SMTPURL string
	API     string
}

// Shared is the Mailpit the test scripts started.
func Shared() Mailpit {
	m := Mailpit{SMTPURL: os.Getenv("SMTP_URL"), API: strings.TrimRight(os.Getenv("MAILPIT_API"), "/")}
	if m.SMTPURL == "" {
		m.SMTPURL = "smtp://127.0.0.1:1025"
	}
	if m.API == "" {
		m.API = "http://127.0.0.1:8025"
	}
	return m
}

// Message is an email as Mailpit keeps it.
type Message struct {
	ID        string
	MessageID string
	Subject   string
	To        []string
	Text      string
	HTML      string
}

// Messages returns every message Mailpit has for the address, oldest
// first, with their text and HTML bodies.
func (m Mailpit) Messages(t testing.TB, address string) []Message {
	t.Helper()
	var list struct {
		Messages []struct {
			ID string
		} `json:"messages"`
	}
	m.get(t, "/api/v1/search?limit=1000&query="+url.QueryEscape(fmt.Sprintf("to:%q", address)), &list)
	out := make([]Message, 0, len(list.Messages))
	for i := len(list.Messages) - 1; i >= 0; i-- { // Mailpit lists the newest first
		var full struct {
			ID, MessageID, Subject, Text, HTML string
			To                                 []struct{ Address string }
		}
		m.get(t, "/api/v1/message/"+list.Messages[i].ID, &full)
		msg := Message{ID: full.ID, MessageID: full.MessageID, Subject: full.Subject, Text: full.Text, HTML: full.HTML}
		for _, to := range full.To {
			msg.To = append(msg.To, to.Address)
		}
		out = append(out, msg)
	}
	return out
}

// Await waits (up to 30s) until Mailpit has want messages for the address
// and returns them; it fails the test if there are fewer, or more.
func (m Mailpit) Await(t testing.TB, address string, want int) []Message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := m.Messages(t, address)
		if len(got) >= want || time.Now().After(deadline) {
			if len(got) != want {
				t.Fatalf("Mailpit has %d messages for %s, want %d", len(got), address, want)
			}
			return got
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (m Mailpit) get(t testing.TB, path string, into any) {
	t.Helper()
	resp, err := http.Get(m.API + path)
	if err != nil {
		t.Fatalf("Mailpit's API at %s does not answer (scripts/services.sh starts it): %v", m.API, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("Mailpit %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("Mailpit %s: %v", path, err)
	}
}

// Start runs a Mailpit of the test's own on free ports, keeping one copy
// of each Message-ID (--ignore-duplicate-ids), and stops it at the end.
// The binary is MAILPIT_BIN, .data/bin/mailpit above the working directory
// (scripts/services.sh installs it there) or mailpit on PATH.
func Start(t testing.TB) Mailpit {
	t.Helper()
	bin := binary(t)
	smtpPort, apiPort := freePort(t), freePort(t)
	cmd := exec.Command(bin, "--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort), "--listen", fmt.Sprintf("127.0.0.1:%d", apiPort),
		"--ignore-duplicate-ids", "--database", filepath.Join(t.TempDir(), "mailpit.db"), "--quiet")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	m := Mailpit{SMTPURL: fmt.Sprintf("smtp://127.0.0.1:%d", smtpPort), API: fmt.Sprintf("http://127.0.0.1:%d", apiPort)}
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", smtpPort))
		if err == nil {
			c.Close()
			if resp, err := http.Get(m.API + "/api/v1/info"); err == nil {
				resp.Body.Close()
				return m
			}
		}
		if i > 200 {
			t.Fatalf("Mailpit did not start on %d/%d", smtpPort, apiPort)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func binary(t testing.TB) string {
	if b := os.Getenv("MAILPIT_BIN"); b != "" {
		return b
	}
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if b := filepath.Join(d, ".data", "bin", "mailpit"); fileExists(b) {
			return b
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	b, err := exec.LookPath("mailpit")
	if err != nil {
		t.Fatal("no Mailpit binary: run scripts/services.sh (it installs one into .data/bin) or set MAILPIT_BIN")
	}
	return b
}

func fileExists(p string) bool { st, err := os.Stat(p); return err == nil && !st.IsDir() }

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
