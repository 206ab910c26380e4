// Package packages keeps what a service agreement becomes over time: a
// package of dated lines (service, units, unit price, weekly cost, from, to),
// the changes the council makes and the provider asks for (more or fewer
// hours, a new price, a suspension, a return, an end), the council's annual
// uplift, and each provider's contract terms for retainers and notice.
//
// A change is a new line from a date, never an edit of an old one: the line
// it replaces ends the day before (or, if it had not started, is withdrawn).
// Costs are counted by the day (see DayCost), so a change on a Wednesday costs
// Monday and Tuesday at the old rate and Wednesday to Sunday at the new. Each
// change that moves a line tells the finance team once, through the
// agreements' notification outbox, with the per-day amounts.
//
// Imports: agreements (the agreement a package belongs to, the outbox) and
// providers (frameworks for the uplift). brokerage calls Open and Close when
// it makes and ends agreements.
package packages
