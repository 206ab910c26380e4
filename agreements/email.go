package agreements

import (
	"bytes"
	"context"
	"embed"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/carebroker/carebroker/internal/mailer"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Which notifications are also sent by email, and to whom, is decided here
// and only here. Providers hear of a new invitation, a chase, the outcome of
// their offer and each change to their packages; the person (where they said
// email is how they want to hear) when an offer is ready and when the
// agreement is made; brokers get the morning digest of what is overdue.
var emailedKinds = map[AudienceKind]map[string]bool{
	AudienceProviderOrg: {
		"invitation.sent": true, "invitation.chased": true,
		"offer.chosen": true, "offer.not_chosen": true, "offer.closed": true,
	},
	AudiencePerson: {"offer.available": true, "agreement.made": true},
	AudienceRole:   {DigestKind: true},
}

// PackageChangePrefix is the hook for package lines: a notification to a
// provider organisation whose kind starts "package." (package.started,
// package.changed, package.ended, ...) is emailed to the provider, so the
// code that writes package changes need only Notify them.
const PackageChangePrefix = "package."

// DigestKind is the kind of the morning digest of what is overdue.
const DigestKind = "digest.overdue"

// Emailed reports whether a notification of kind to audience kind a is also
// sent by email.
func Emailed(a AudienceKind, kind string) bool {
	if a == AudienceProviderOrg && strings.HasPrefix(kind, PackageChangePrefix) {
		return true
	}
	return emailedKinds[a][kind]
}

// Recipients finds the email addresses of an audience: the users of a
// provider organisation, the person's contact address where they chose
// email, everyone with a role. Its owner (brokerage, which owns persons)
// implements it; conn is the worker's transaction.
type Recipients interface {
	EmailAddresses(ctx context.Context, conn postgres.Conn, a Audience) ([]string, error)
}

// MailSender sends one email; *mailer.Sender is the real one.
type MailSender interface {
	Send(ctx context.Context, m mailer.Message) error
}

var _ MailSender = (*mailer.Sender)(nil)

// EmailConfig turns email on for a Worker: where to send, whom to ask for
// addresses, and how to sign and link.
type EmailConfig struct {
	Sender     MailSender
	Recipients Recipients
	PublicURL  string // links in emails start here, like https://care.example.gov.uk
	SenderName string // the banner and sign-off, like "Trafford Council care brokerage"
	Domain     string // the right-hand side of Message-IDs; default "carebroker.invalid"
}

func (c EmailConfig) on() bool { return c.Sender != nil && c.Recipients != nil }

//go:embed templates/email.html.tmpl templates/email.txt.tmpl
var emailFS embed.FS

var (
	emailHTML = htmltemplate.Must(htmltemplate.ParseFS(emailFS, "templates/email.html.tmpl"))
	emailText = texttemplate.Must(texttemplate.ParseFS(emailFS, "templates/email.txt.tmpl"))
)

// emailModel is what the templates draw, in the GOV.UK Notify style: a
// heading that says what happened, short paragraphs, one link to act on,
// and who sent it.
type emailModel struct {
	Sender, Subject   string
	Paragraphs        []string
	LinkText, LinkURL string
	Footer            string
}

// renderEmail draws a notification as an email: subject, text and HTML.
// It carries the notification's own subject and body and nothing else, so
// an email never says more than the in-app message (for a provider, no more
// than the invitation page shows).
func renderEmail(n notificationRow, cfg EmailConfig) (subject, text, html string, err error) {
	m := emailModel{Sender: cfg.SenderName, Subject: n.Subject,
		Footer: "This email was sent by " + cfg.SenderName + ". Please do not reply to it: sign in to the service to answer."}
	for _, p := range strings.Split(n.Body, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			m.Paragraphs = append(m.Paragraphs, p)
		}
	}
	m.LinkText, m.LinkURL = pageLink(n, cfg.PublicURL)
	var t, h bytes.Buffer
	if err := emailText.Execute(&t, m); err != nil {
		return "", "", "", err
	}
	if err := emailHTML.Execute(&h, m); err != nil {
		return "", "", "", err
	}
	return n.Subject, t.String(), h.String(), nil
}

// pageLink is the web page where the reader of the email acts on it.
func pageLink(n notificationRow, base string) (text, url string) {
	base = strings.TrimRight(base, "/")
	if base == "" {
		return "", ""
	}
	switch {
	case n.AudienceKind == string(AudienceProviderOrg) && n.ObjectType == "invitation":
		return "Open the invitation", base + "/provider/invitations/" + n.ObjectID
	case n.AudienceKind == string(AudienceProviderOrg):
		return "Sign in to see it", base + "/provider/invitations"
	case n.AudienceKind == string(AudiencePerson) && n.ObjectType == "request":
		return "See your offers", base + "/your-care/requests/" + n.ObjectID
	case n.AudienceKind == string(AudiencePerson):
		return "See your care", base + "/your-care"
	case n.Kind == DigestKind:
		return "Open the queue", base + "/broker/queue"
	}
	return "Sign in", base + "/sign-in"
}
