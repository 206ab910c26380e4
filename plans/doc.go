// Package plans keeps persons and their Care and Support Plans: who a
// person is, the plans practitioners write for them (the personal budget
// and each eligible need, with how it is to be met), four-eyes sign-off,
// the council's settings for it, and which need follows on from which.
// It sits beneath brokerage: brokerage imports plans, never the reverse.
//
// Service holds the use cases (record and find persons; submit, change,
// read and sign off plans). Each takes the accounts.Actor calling it: a
// person or plan the actor may not see is NotFound (CanSeePerson), an action
// their role may not take Forbidden. Every change, and every read of a
// person's plan, writes an audit event.
//
// Signing off is shared with brokerage: Service.SignOffPlan checks the plan
// again, applies four eyes (Plan.SignOff) and freezes it, then calls the
// Arrange it is given (brokerage's, which opens requests and starts each
// route) on the same transaction. Store is exported so that brokerage's use
// cases read and write plans inside their own transactions
// (NewStore(tx, w)); brokerage answers the one question plans asks of it
// (which request each need became) through Workflow.
//
// # Where things go
//
// Types and their state changes in <type>.go (plan.go, person.go,
// plan_sign_off.go, succession.go), their checks in plan_validate.go and
// route_validate.go, use cases in the plural (plans.go, persons.go,
// sign_off.go, person_search.go, settings.go), and gorm only in *_store.go,
// with the row structs in rows_store.go converting by plain struct
// conversion.
//
// A new field of a plan or need goes in plan.go, in the row struct in
// rows_store.go (or the build fails), in a migration, in Validate, and in
// Content/SetContent (plans.go, route_validate.go). A new way of meeting a
// need is not added here: it is a Route, registered in brokerage's
// routes.go (see brokerage's package documentation); plans asks the
// registry for the codes (HowMet.Valid), labels and each route's own
// validation.
package plans
