package agreements

import (
	"context"

	"github.com/carebroker/carebroker/internal/mailer"
	"github.com/carebroker/carebroker/internal/metrics"
)

// EmailReport says what one pass of sending did.
type EmailReport struct {
	Claimed, Sent, Retried, Dead, LeaseLost int
}

// SendDueEmails claims the emails that are due and sends each through
// SMTP. Each keeps its Message-ID on every attempt: a worker killed after
// the server took an email but before it recorded so sends it again when
// the lease runs out (at least once), and the receiver, seeing a
// Message-ID it has, keeps one copy. A refused or failed send is retried
// with the notifications' backoff and is dead after MaxAttempts. It
// returns Unavailable when the database does not answer.
func (w *Worker) SendDueEmails(ctx context.Context) (EmailReport, error) {
	var r EmailReport
	if !w.cfg.Email.on() {
		return r, nil
	}
	claims, err := w.claimEmails(ctx)
	if err != nil {
		return r, err
	}
	r.Claimed = len(claims)
	work := context.WithoutCancel(ctx)
	for i, c := range claims {
		if ctx.Err() != nil {
			w.releaseEmails(work, claims[i:])
			break
		}
		sendCtx, cancel := context.WithTimeout(work, w.cfg.HTTPTimeout)
		sendErr := w.cfg.Email.Sender.Send(sendCtx, mailer.Message{
			MessageID: c.row.MessageID, To: c.row.Address, Subject: c.row.Subject, Text: c.row.TextBody, HTML: c.row.HTMLBody,
		})
		cancel()
		if sendErr == nil {
			held, err := w.emailSent(work, c)
			if err != nil {
				w.releaseEmails(work, claims[i+1:])
				return r, err
			}
			if held {
				r.Sent++
			} else {
				r.LeaseLost++
			}
			continue
		}
		metrics.EmailFailed()
		status, err := w.emailFailed(work, c, sendErr)
		if err != nil {
			w.releaseEmails(work, claims[i+1:])
			return r, err
		}
		switch status {
		case string(Dead):
			r.Dead++
			w.log.Error("email is a dead letter after its last attempt", "email", c.row.ID, "kind", c.row.Kind, "error", sendErr)
		case string(Pending):
			r.Retried++
			w.log.Warn("email not sent; will retry", "email", c.row.ID, "attempt", c.row.Attempts, "error", sendErr)
		default:
			r.LeaseLost++
		}
	}
	return r, nil
}
