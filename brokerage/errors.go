package brokerage

import "github.com/carebroker/carebroker/errs"

// The not-found errors. Objects the actor may not see are reported with
// the same errors, so that a 404 does not reveal that they exist.
var (
	errNoRequest    = errs.NotFoundf("no such request")
	errNoInvitation = errs.NotFoundf("no such invitation")
	errNoOffer      = errs.NotFoundf("no such offer")
	errNoMatch      = errs.NotFoundf("the matcher has not been run on this request")
)

// The not-found errors of the routes other than brokerage.
var (
	errNoDirectPayment = errs.NotFoundf("no such direct payment")
	errNoAlternative   = errs.NotFoundf("no such alternative service")
	errNoSupport       = errs.NotFoundf("no such professional support")
)
