package brokerage

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/mailer"
	"github.com/carebroker/carebroker/internal/mailer/mailpittest"
	"github.com/carebroker/carebroker/plans"
)

// emailWorker is the notification worker sending email to Mailpit.
func (f *fixture) emailWorker(mp mailpittest.Mailpit) *agreements.Worker {
	f.t.Helper()
	sender, err := mailer.New(mp.SMTPURL, "brokerage@trafford.example")
	if err != nil {
		f.t.Fatal(err)
	}
	w, err := agreements.NewWorker(f.db, nil, agreements.WorkerConfig{BackoffBase: 10 * time.Millisecond,
		Email: agreements.EmailConfig{Sender: sender, Recipients: MailRecipients{}, PublicURL: "https://care.trafford.example",
			SenderName: "Trafford Council care brokerage"}})
	if err != nil {
		f.t.Fatal(err)
	}
	return w
}

// deliver runs the worker until nothing is left to do.
func (f *fixture) deliver(w *agreements.Worker) {
	f.t.Helper()
	for range 20 {
		r, err := w.DeliverDue(ctx)
		if err != nil {
			f.t.Fatal(err)
		}
		e, err := w.SendDueEmails(ctx)
		if err != nil {
			f.t.Fatal(err)
		}
		if r.Claimed == 0 && e.Claimed == 0 {
			return
		}
	}
	f.t.Fatal("the worker still had work after 20 passes")
}

func (f *fixture) emailOf(a accounts.Actor) string {
	f.t.Helper()
	u, err := f.users.User(ctx, a.UserID)
	if err != nil {
		f.t.Fatal(err)
	}
	return u.Email
}

// A provider hears of a new invitation, a chase and the outcome of its
// offer by email, each once, and an invitation's email says no more about
// the person than the invitation page does: no name, no address, no full
// postcode, no date of birth.
func TestProviderEmailsSayNoMoreThanTheInvitation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	mp := mailpittest.Shared()
	w := f.emailWorker(mp)
	home := f.provider("homecare", providerOpts{})
	other := f.provider("homecare", providerOpts{kmEast: 1})
	name := "Zebedee Quartermaine " + uuid.NewString()[:6]
	broker, person, r, invs := f.invited(name, home, other)
	f.deliver(w)

	to := f.emailOf(home.User)
	got := mp.Await(t, to, 1)[0]
	if !strings.Contains(got.Subject, r.Reference) || !strings.Contains(got.Subject, "M16") {
		t.Fatalf("invitation email subject %q", got.Subject)
	}
	for _, body := range []string{got.Text, got.HTML} {
		for _, want := range []string{r.Reference, "M16", "https://care.trafford.example/provider/invitations/" + invs[0].ID.String(),
			"Trafford Council care brokerage"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the invitation email lacks %q:\n%s", want, body)
			}
		}
		for _, secret := range []string{"Zebedee", "Quartermaine", person.Address, "Test Street", "M16 0RA", "1941", day.New(1941, 3, 14).UK()} {
			if strings.Contains(body, secret) {
				t.Fatalf("the invitation email to the provider names %q:\n%s", secret, body)
			}
		}
	}
	if !strings.Contains(got.HTML, "<h1") || strings.Contains(got.Text, "<") {
		t.Fatalf("want an HTML part with a heading and a plain text part:\nHTML %s\ntext %s", got.HTML, got.Text)
	}

	// A chase is one more email each to those who have not answered.
	if _, err := f.svc.Chase(ctx, broker, r.ID); err != nil {
		t.Fatal(err)
	}
	f.deliver(w)
	chased := mp.Await(t, to, 2)[1]
	if !strings.HasPrefix(chased.Subject, "Reminder: request "+r.Reference) || strings.Contains(chased.Text, "Zebedee") {
		t.Fatalf("chase email %q:\n%s", chased.Subject, chased.Text)
	}

	// The outcome: one provider's offer is chosen, the other's not.
	good, err := f.svc.MakeOffer(ctx, home.User, invs[0].ID, f.hourlyOffer(2400))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.MakeOffer(ctx, other.User, invs[1].ID, f.hourlyOffer(2400)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Choose(ctx, f.client(person), r.ID, ChoiceInput{OfferID: good.ID}); err != nil {
		t.Fatal(err)
	}
	f.deliver(w)
	if m := mp.Await(t, to, 3)[2]; m.Subject != "Your offer for request "+r.Reference+" was chosen" {
		t.Fatalf("the chosen provider's third email is %q", m.Subject)
	}
	otherMail := mp.Await(t, f.emailOf(other.User), 3) // invitation, chase, not chosen
	if otherMail[2].Subject != "Your offer for request "+r.Reference+" was not taken up" {
		t.Fatalf("the other provider's last email is %q", otherMail[2].Subject)
	}
	// Running the worker again sends nothing again.
	f.deliver(w)
	mp.Await(t, to, 3)
	if n := f.count("emails", "status = 'sent'"); n != 6 {
		t.Fatalf("%d emails sent, want 6 (3 to each provider)", n)
	}
}

// The person hears by email, where they said email is how they want to
// hear, when an offer is ready and when the agreement is made; a person who
// did not say so gets none.
func TestThePersonIsEmailedOnlyWhenTheyChoseEmail(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	mp := mailpittest.Shared()
	w := f.emailWorker(mp)
	home := f.provider("homecare", providerOpts{})
	_, person, r, invs := f.invited("Olive Example", home)
	address := "olive-" + uuid.NewString()[:8] + "@family.example"
	if err := f.db.Gorm(ctx).Exec(`UPDATE persons SET contact_by = 'email', contact_email = ? WHERE id = ?`, address, person.ID).Error; err != nil {
		t.Fatal(err)
	}
	o, err := f.svc.MakeOffer(ctx, home.User, invs[0].ID, f.hourlyOffer(2400))
	if err != nil {
		t.Fatal(err)
	}
	f.deliver(w)
	ready := mp.Await(t, address, 1)[0]
	if !strings.Contains(ready.Subject, "An offer for your") || !strings.Contains(ready.Text, "https://care.trafford.example/your-care/requests/"+r.ID.String()) {
		t.Fatalf("offer email %q:\n%s", ready.Subject, ready.Text)
	}
	client := f.client(person)
	if _, err := f.svc.Choose(ctx, client, r.ID, ChoiceInput{OfferID: o.ID}); err != nil {
		t.Fatal(err)
	}
	ag, err := f.svc.AgreeStartDate(ctx, client, r.ID, f.today().AddDays(7))
	if err != nil {
		t.Fatal(err)
	}
	f.deliver(w)
	made := mp.Await(t, address, 2)[1]
	if !strings.Contains(made.Subject, "starts on") || !strings.Contains(made.Text, ag.Reference) {
		t.Fatalf("agreement email %q:\n%s", made.Subject, made.Text)
	}

	// Someone who said phone gets no email, and cannot leave an address by mistake.
	prac := f.practitioner("community_led_support")
	_, err = f.svc.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: "Phone Person", DateOfBirth: day.New(1950, 1, 1), Address: "2 Road",
		Postcode: "M16 0RA", ContactBy: plans.ContactByPhone, ContactEmail: "x@example.com"})
	wantErr(t, err, errs.Invalid, "contact_email")
	_, err = f.svc.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: "Email Person", DateOfBirth: day.New(1950, 1, 1), Address: "2 Road",
		Postcode: "M16 0RA", ContactBy: plans.ContactByEmail})
	wantErr(t, err, errs.Invalid, "contact_email")
	p, err := f.svc.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: "Email Person", DateOfBirth: day.New(1950, 1, 1), Address: "2 Road",
		Postcode: "M16 0RA", ContactBy: plans.ContactByEmail, ContactEmail: " Carer@Family.Example "})
	if err != nil || p.ContactEmail != "carer@family.example" || p.ContactBy != plans.ContactByEmail {
		t.Fatalf("person %+v, %v", p, err)
	}
}

// The broker is warned when an invited provider organisation has nobody
// with an email address to receive the invitation.
func TestInviteWarnsOfAProviderNobodyCanReceive(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reachable := f.provider("homecare", providerOpts{})
	silent := f.provider("homecare", providerOpts{kmEast: 1})
	if err := f.db.Gorm(ctx).Exec(`UPDATE users SET disabled_at = now() WHERE provider_org_id = ?`, silent.OrgID).Error; err != nil {
		t.Fatal(err)
	}
	_, _, _, invs := f.invited("Warned Example", reachable, silent)
	ws, err := f.svc.InvitationWarnings(ctx, invs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].ProviderOrgID != silent.OrgID || !strings.Contains(ws[0].Message, silent.Name+" has nobody with an email address") {
		t.Fatalf("warnings %+v, want one naming %s", ws, silent.Name)
	}
}

// The brokers' morning digest is written once a London day, from the set
// hour, and only when something is overdue; each broker gets it by email.
func TestMorningDigestOfWhatIsOverdue(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	mp := mailpittest.Shared()
	w := f.emailWorker(mp)
	home := f.provider("homecare", providerOpts{})
	broker, _, r, _ := f.invited("Digest Example", home)
	window := DigestWindow{Hour: 7}

	// Nothing is overdue yet (the deadline is 5 working days away).
	f.now = time.Date(2026, 12, 2, 7, 30, 0, 0, time.UTC)
	if wrote, err := f.svc.OverdueDigest(ctx, window); err != nil || wrote {
		t.Fatalf("digest with nothing overdue: %v %v", wrote, err)
	}
	// A week later, at 06:59 London time, it is not time yet; at 07:00 it is, once.
	f.now = time.Date(2026, 12, 9, 6, 59, 0, 0, time.UTC)
	if wrote, _ := f.svc.OverdueDigest(ctx, window); wrote {
		t.Fatal("the digest was written before 07:00")
	}
	f.now = time.Date(2026, 12, 9, 7, 0, 0, 0, time.UTC)
	if wrote, err := f.svc.OverdueDigest(ctx, window); err != nil || !wrote {
		t.Fatalf("digest at 07:00: %v %v", wrote, err)
	}
	f.now = time.Date(2026, 12, 9, 8, 0, 0, 0, time.UTC)
	f.svc.OverdueDigest(ctx, window)
	if n := f.count("notifications", "kind = ?", agreements.DigestKind); n != 1 {
		t.Fatalf("%d digests on one day, want 1", n)
	}
	// In summer 07:00 London time is 06:00 UTC.
	if !window.Due(time.Date(2027, 7, 1, 6, 0, 0, 0, time.UTC)) || window.Due(time.Date(2027, 7, 1, 5, 59, 0, 0, time.UTC)) {
		t.Fatal("the window should follow London time")
	}
	f.deliver(w)
	got := mp.Await(t, f.emailOf(broker), 1)[0]
	if !strings.Contains(got.Subject, "Overdue this morning, 9 December 2026") || !strings.Contains(got.Text, r.Reference+" (homecare): "+home.Name+" has not answered") {
		t.Fatalf("digest %q:\n%s", got.Subject, got.Text)
	}
}
