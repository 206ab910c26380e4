package frontend

// areas are the parts of the service that add pages, in the order their
// navigation items appear. Each is a function in its own file that
// registers its pages on the Router (Get, Post, Nav): broker_*.go,
// provider_*.go, client_*.go, finance_*.go, admin_*.go ... A new area
// needs only its file, its line here, and any use case it calls as a field
// of Deps. An area that registers a role's home path (homes.go) replaces
// that role's placeholder home page.
var areas = []func(*Frontend, *Router){
	brokerPages,
	providerPages,
	clientPages,
	financePages,
	approverPages,
	practitionerPages,
	adminPages,
	dashboardPages,
	packagePages,
	matchingPages,
}
