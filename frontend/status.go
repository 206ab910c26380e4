package frontend

// statusTags gives each status of the service its words and colour, so a
// status reads the same on every page. Statuses of different things share
// a name only when they mean the same to the person reading (an "open"
// request and an "open" offer are both waiting on someone). Add new
// statuses here; an unknown status is shown grey in words.
var statusTags = map[string]Tag{
	// package changes (issue 16)
	"asked":   {Text: "Waiting for a decision", Class: "govuk-tag--yellow"},
	"applied": {Text: "In effect", Class: "govuk-tag--green"},
	"refused": {Text: "Refused", Class: "govuk-tag--red"},
	// requests
	"open":            {Text: "Open", Class: ""},
	"matching":        {Text: "Matching", Class: "govuk-tag--teal"},
	"invited":         {Text: "Invited", Class: "govuk-tag--purple"},
	"offers_received": {Text: "Offers received", Class: "govuk-tag--turquoise"},
	"chosen":          {Text: "Chosen", Class: "govuk-tag--pink"},
	"agreed":          {Text: "Agreed", Class: "govuk-tag--green"},
	"cancelled":       {Text: "Cancelled", Class: "govuk-tag--grey"},
	"on_hold":         {Text: "On hold", Class: "govuk-tag--yellow"},
	"no_offers":       {Text: "No offers", Class: "govuk-tag--red"},
	"overdue":         {Text: "Overdue", Class: "govuk-tag--red"},
	// urgency
	"urgent":   {Text: "Urgent", Class: "govuk-tag--red"},
	"interim":  {Text: "Interim", Class: "govuk-tag--orange"},
	"standard": {Text: "Standard", Class: "govuk-tag--grey"},
	// invitations and offers
	"pending":      {Text: "Waiting for a response", Class: "govuk-tag--yellow"},
	"offered":      {Text: "Offered", Class: ""},
	"declined":     {Text: "Declined", Class: "govuk-tag--grey"},
	"withdrawn":    {Text: "Withdrawn", Class: "govuk-tag--grey"},
	"expired":      {Text: "Expired", Class: "govuk-tag--grey"},
	"accepted":     {Text: "Accepted", Class: "govuk-tag--green"},
	"not_chosen":   {Text: "Not chosen", Class: "govuk-tag--grey"},
	"cannot_start": {Text: "Cannot start", Class: "govuk-tag--red"},
	// where an invitation stands for the broker (brokerage.InvitationView.Outcome)
	"awaiting_answer":          {Text: "Waiting for an answer", Class: "govuk-tag--yellow"},
	"awaiting_budget_approval": {Text: "Waiting for budget approval", Class: "govuk-tag--orange"},
	"closed":                   {Text: "Closed", Class: "govuk-tag--grey"},
	"over_budget":              {Text: "Over budget", Class: "govuk-tag--orange"},
	"approved":                 {Text: "Approved", Class: "govuk-tag--green"},
	"rejected":                 {Text: "Rejected", Class: "govuk-tag--red"},
	// plans
	"draft":                    {Text: "Draft", Class: "govuk-tag--grey"},
	"awaiting_second_sign_off": {Text: "Waiting for a second sign-off", Class: "govuk-tag--orange"},
	"signed_off":               {Text: "Signed off", Class: "govuk-tag--green"},
	// agreements, notifications, reviews
	"active":       {Text: "Active", Class: "govuk-tag--green"},
	"ended":        {Text: "Ended", Class: "govuk-tag--grey"},
	"new":          {Text: "New", Class: ""},
	"acknowledged": {Text: "Acknowledged", Class: "govuk-tag--green"},
	"delivered":    {Text: "Delivered", Class: "govuk-tag--green"},
	"failed":       {Text: "Failed", Class: "govuk-tag--red"},
	"due":          {Text: "Due", Class: "govuk-tag--yellow"},
	"done":         {Text: "Done", Class: "govuk-tag--green"},
	"not_due":      {Text: "Not due yet", Class: "govuk-tag--grey"},
	// providers
	"suspended": {Text: "Suspended", Class: "govuk-tag--red"},
	"compliant": {Text: "Compliant", Class: "govuk-tag--green"},
}

// StatusTag returns the tag for a status name.
func StatusTag(status string) Tag {
	if t, ok := statusTags[status]; ok {
		return t
	}
	return Tag{Text: humanise(status), Class: "govuk-tag--grey"}
}
