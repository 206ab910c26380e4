// Package mailer sends email through an SMTP server (SMTP_URL), with
// github.com/wneessen/go-mail. It knows nothing of who is told what: the
// notification worker renders each email, keeps its state in PostgreSQL
// and calls Send.
package mailer

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
)

// Message is one email to one address. MessageID is stable for the email
// (the same on every attempt), so a receiver that has it already can drop
// a second copy sent after a worker died between the server's "250 OK" and
// the worker's record of it.
type Message struct {
	MessageID string // without angle brackets, like "6f1c...@carebroker"
	To        string
	Subject   string
	Text      string
	HTML      string
}

// Sender sends through one SMTP server.
type Sender struct {
	host string
	opts []mail.Option
	from string
}

// New returns a sender for smtpURL, like smtp://127.0.0.1:1025 (no TLS),
// smtp://user:pass@host:587 (STARTTLS required) or smtps://host:465, and
// the From address. It returns an error naming what is wrong with either.
func New(smtpURL, from string) (*Sender, error) {
	u, err := url.Parse(smtpURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("SMTP_URL must be like smtp://host:port, not %q", smtpURL)
	}
	if !strings.Contains(from, "@") {
		return nil, fmt.Errorf("EMAIL_FROM must be an email address, not %q", from)
	}
	opts := []mail.Option{mail.WithTimeout(10 * time.Second)}
	port := 25
	switch u.Scheme {
	case "smtp":
		if isLocal(u.Hostname()) && u.User == nil {
			opts = append(opts, mail.WithTLSPolicy(mail.NoTLS)) // a local relay or Mailpit
		} else {
			opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		}
	case "smtps":
		port = 465
		opts = append(opts, mail.WithSSL())
	default:
		return nil, fmt.Errorf("SMTP_URL must start smtp:// or smtps://, not %q", u.Scheme+"://")
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("SMTP_URL's port %q is not a port", p)
		}
	}
	opts = append(opts, mail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	return &Sender{host: u.Hostname(), opts: opts, from: from}, nil
}

func isLocal(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// From is the address emails are sent from.
func (s *Sender) From() string { return s.from }

// Send delivers m: one connection, one message. An error means the server
// did not confirm it; it may still have the message, which is why the
// Message-ID stays the same when the caller tries again.
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg := mail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDate()
	msg.SetBulk()
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	c, err := mail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}
