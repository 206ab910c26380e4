package api_test

// The published matching weights: every signed-in role reads them, as JSON
// and as a page; nobody else.
var _ = registerAccess(accessArea{
	Name: "matching weights",
	Entries: []accessEntry{
		{Method: "GET", Path: "/api/v1/matching/weights", Roles: everyRole, Want: 200},
		{Method: "GET", Path: "/how-providers-are-ranked", Roles: everyRole, Page: true, Want: 200},
	},
})
