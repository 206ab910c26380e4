// Package brokerage is the centre of carebroker: the request workflow. A
// signed-off Care and Support Plan (package plans) becomes brokerage
// requests; brokers match each request against the provider directory and
// invite a shortlist; providers offer or decline; the person chooses;
// agreeing a start date reserves the provider's capacity and makes the
// service agreement, in one transaction. It also starts and follows every
// other way a need is met, through one interface.
//
// Service holds the use cases. Each takes the accounts.Actor calling it and
// decides what that actor may see and do: objects an actor may not see are
// NotFound, actions a role may not take are Forbidden. Every state change
// writes an audit event in its own transaction; so does every read of a
// person's plan. Request statuses change only through the methods of
// Request, which check their own preconditions (see status.go).
//
// # Where things are
//
// Files are named after what they hold, in three kinds: the type and its
// state changes (request.go, offer.go, invitation.go, status.go), the use
// cases that load, change and save it (requests.go, offers.go, invite.go,
// choose.go, agree.go, reopen.go, sweep.go, queue.go, dashboard.go), and its
// store (request_store.go, offer_store.go): gorm only there, with a row
// struct per table that converts to the domain type by plain struct
// conversion.
//
//   - The workflow: request, match (match.go, candidates.go, the matching
//     index), invite, offer, approve (approvals.go), choose, agree, re-open
//     and cannot-start (reopen.go), queue, deadlines and the sweep, the
//     dashboard.
//   - Plans and persons are package plans, beneath this one (brokerage
//     imports plans, never the reverse). Service.Plans hands out its use
//     cases; Service.SignOffPlan signs a plan off through plans and, in the
//     same transaction, starts what meets each need (arrange.go).
//   - Ways of meeting a need (routes): routes.go declares the route
//     interface and registers every route once; each is one file,
//     route_<name>.go. What a route's own team works is beside it:
//     direct_payments.go and dp_monitoring.go (the direct payment team's
//     queue), alternatives.go (alternative services to confirm), and the
//     generic route store (route_store.go: a route's row with its
//     referral). need_state.go and plan_view.go say whether each need is met.
//   - Interim support before a plan (urgent.go), professional support a
//     practitioner gives (professional_support*.go) and changing a plan at a
//     review (review_change*.go) are use cases of their own.
//
// # Adding a way of meeting a need
//
// Write route_<name>.go: a type implementing route (HowMet, Label, Arranged,
// Validate from plans.Route; start, describe, ended), with its HowMet code as
// a constant there if plans does not name it. Add it to the list in
// routes.go. Add a migration allowing the code in plan_needs.how_met (and
// need_referrals.route when it is not arranged), and the code to the how_met
// enum of api/openapi/20_brokerage.json. Nothing else decides by route: the
// plan's validation, sign-off, the plan view and ending an arrangement all
// ask the route. A route whose team works a queue adds its use cases and
// store (like direct_payments.go) and their API routes.
//
// # Adding a workflow step
//
// A new state or edge of a request is a method of Request that checks its
// precondition and returns the Transition (status.go, request.go); the use
// case that calls it goes in its own file (<step>.go), locks the request in
// s.store.inTx, calls the method, records it with s.record (transition and
// audit event) and tells whom it concerns with s.tell, in that transaction.
// Its API route goes in api/routes_brokerage.go, and its access entry in
// api/access_brokerage_test.go.
package brokerage
