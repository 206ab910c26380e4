package plans

import "github.com/carebroker/carebroker/errs"

// The NotFound errors of plans and persons: an object that does not exist
// and one the actor may not see are the same answer.
var (
	ErrNoPerson = errs.NotFoundf("no such person")
	ErrNoPlan   = errs.NotFoundf("no such plan")
	ErrNoNeed   = errs.NotFoundf("no such need")
)
