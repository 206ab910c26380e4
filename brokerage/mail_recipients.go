package brokerage

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// MailRecipients tells the notification worker who gets an email: the
// active users of a provider organisation, everyone with a role or in a
// team, one user, and the person only when they said email is how they want
// to hear (to the address they gave).
type MailRecipients struct{}

var _ agreements.Recipients = MailRecipients{}

// EmailAddresses lists the addresses of audience a, read on conn.
func (MailRecipients) EmailAddresses(ctx context.Context, conn postgres.Conn, a agreements.Audience) ([]string, error) {
	var who accounts.Addressees
	switch a.Kind {
	case agreements.AudienceProviderOrg, agreements.AudienceUser, agreements.AudiencePerson:
		id, err := uuid.Parse(a.ID)
		if err != nil {
			return nil, errs.Internalf(err, "audience %s %q", a.Kind, a.ID)
		}
		switch a.Kind {
		case agreements.AudiencePerson:
			return personEmail(ctx, conn, id)
		case agreements.AudienceUser:
			who.UserID = id
		default:
			who = accounts.Addressees{Role: accounts.ProviderUser, ProviderOrgID: id}
		}
	case agreements.AudienceRole:
		who.Role = accounts.Role(a.ID)
	case agreements.AudienceTeam:
		who = accounts.Addressees{Role: accounts.Practitioner, Team: a.ID}
	case agreements.AudienceFinance:
		who.Role = accounts.Finance
	default:
		return nil, nil
	}
	return accounts.EmailAddresses(ctx, conn, who)
}

// unreachable returns the provider organisations, of those given, that have
// nobody with an email address to receive an invitation.
func unreachable(ctx context.Context, conn postgres.Conn, orgs []uuid.UUID) (map[uuid.UUID]bool, error) {
	out := map[uuid.UUID]bool{}
	for _, org := range orgs {
		if _, seen := out[org]; seen {
			continue
		}
		addresses, err := accounts.EmailAddresses(ctx, conn, accounts.Addressees{Role: accounts.ProviderUser, ProviderOrgID: org})
		if err != nil {
			return nil, err
		}
		out[org] = len(addresses) == 0
	}
	for org, none := range out {
		if !none {
			delete(out, org)
		}
	}
	return out, nil
}

// Warning is something the broker should know about what they just did
// that does not stop it.
type Warning struct {
	ProviderOrgID uuid.UUID `json:"provider_org_id"`
	Message       string    `json:"message"`
}

// InvitationWarnings warns of each invited provider organisation that has
// nobody with an email address: it sees the invitation only if someone
// signs in, so the broker should phone it.
func (s *Service) InvitationWarnings(ctx context.Context, invs []Invitation) ([]Warning, error) {
	orgs := make([]uuid.UUID, 0, len(invs))
	for _, inv := range invs {
		if inv.Waiting() {
			orgs = append(orgs, inv.ProviderOrgID)
		}
	}
	none, err := unreachable(ctx, s.store.db, orgs)
	if err != nil {
		return nil, err
	}
	var ws []Warning
	for _, inv := range invs {
		if none[inv.ProviderOrgID] {
			delete(none, inv.ProviderOrgID)
			ws = append(ws, Warning{ProviderOrgID: inv.ProviderOrgID, Message: inv.ProviderName +
				" has nobody with an email address to receive the invitation. Phone them, or ask them to add a user."})
		}
	}
	return ws, nil
}
