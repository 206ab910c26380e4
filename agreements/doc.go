// Package agreements owns service agreements and what follows from them:
// the provider information pack, the review schedule, the agreement
// document (HTML and PDF), and the notification outbox with its worker.
//
// An agreement is created by the brokerage's "agree start date" use case,
// inside its transaction, with Store.Create. Create writes the agreement,
// its information pack, its review tasks and exactly one finance
// notification, so either all of them exist or none do.
//
// Notifications are written with Notify in the transaction of the change
// that causes them (an outbox). After commit a Worker claims them with
// SELECT ... FOR UPDATE SKIP LOCKED under a lease that expires, puts them in
// the in-app inbox, publishes them live through Redis (best effort: the inbox
// is the record) and, for the finance team, posts them to the finance
// webhook when one is configured: HMAC-signed, with a stable Idempotency-Key
// header, retried with exponential backoff and dead-lettered after the last
// attempt. Delivery is at least once; a receiver that dedupes on the key sees
// each notification exactly once.
package agreements
