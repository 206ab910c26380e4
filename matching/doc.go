// Package matching is the brokerage engine: it matches a request for care against the provider
// directory, ranking the services that can take it and saying why the others cannot, and it
// allocates many requests at once to services with limited capacity. It is pure Go: no database,
// no HTTP, and no other package of this module.
//
// # One request
//
// Build an Index once from the directory with NewIndex, then call Index.Match (or MatchInto, which
// reuses memory and allocates nothing per candidate) for each request. The index ranks exactly the
// services MatchServices would, and explains the exclusions of services of a fitting type that
// cover the person or miss by at most Config.NearMissKm. MatchServices works over a plain slice
// and explains every exclusion, including services of the wrong type; it suits small lists and
// tests. BENCH.md has measured speeds.
//
// A service is eligible when it passes every hard rule on the request's start date:
//
//   - Service type. A generic request is met only by its own type. A specialist request is met by
//     its own specialist type and, when the practitioner names a GenericAlternative (say homecare
//     for specialist homecare), by that generic type too. Specialist services are never offered
//     for generic requests. The care brokerage procedure says generic services are always
//     considered before specialist ones, so eligible generic alternatives rank ahead of every
//     specialist service. That specialist requests come only from the Life Planning and Mental
//     Health teams is for the caller to enforce.
//   - Coverage: within the service's radius (great-circle distance) or, for a service that lists
//     postcode districts, the person's district is listed. A service stating neither covers
//     Config.DefaultRadiusKm.
//   - Capacity: enough hours a week (care at home, supported living, reablement) or places (care
//     homes, respite, day services, shared lives) free on the start date and on every later date
//     in its calendar, because care is ongoing.
//   - Compliance, over the first weeks of the placement (Config.ComplianceWeeks, 12 by default),
//     not the start date alone: the service still offered; a framework, contract or DPS
//     membership in force on every day (one may follow another); an active contract; no
//     suspension or embargo touching the span; accepted insurance evidence covering every day
//     (none, expired, not yet begun or a gap in cover all exclude); CQC registration and a rating
//     not disallowed, as the RatingPolicy in Config says. A reason about a day names the first day
//     that fails. Rules asks the same rules of one service without a request.
//   - Budget: the weekly cost (hourly rate times hours, or weekly rate times places) within the
//     budget, unless the person is self-funded (no cap). When the request allows offers over
//     budget the service stays in, flagged OverBudget with a note that a budget approver must
//     agree, and ranks after every service within budget.
//
// Eligible services are scored on distance, quality (the CQC rating), price headroom, preference
// fit (language, carer gender, cultural tags) and continuity with a provider the person already
// uses; Breakdown says how much each counted, and Config.Weights sets the weights (DefaultConfig
// documents the defaults). Ties are broken by weekly cost, then distance, then service ID.
//
// Every reason is a Reason: a Code and its numbers, written to JSON with only the fields of its
// code, and rendered for people by Reason.Text, for example "£392.00 a week, £42.00 over the
// £350.00 budget" or "no capacity on 1 December 2026 (needs 20 hours a week, 12 free)".
//
// # Many requests: real calendars, one objective
//
// Index.Allocate places a batch of requests within the services' real calendars: a service takes
// any set of requests whose hours or places, added up from each one's start (care, once started,
// goes on), fit what it has free on every day, so capacity that grows later is used and requests
// of unequal size share a service's hours. It serves the most requests and, among the ways to
// serve that many, values what the ranking values: each pair costs its rankCost (see
// Index.rankCosts), which follows the ranking's own order (generic alternatives first, then within
// budget, then the score with all five parts, then ties), so with nothing contested each person
// gets the service ranked first for them.
//
// With requests of unequal size sharing one service's hours this is a generalised assignment
// (bin-packing) problem and NP-hard. Problem.Fill starts from the exact optimum of a slot model
// that never overcommits a calendar (each service gets
//
//	slots = floor(least capacity free from the earliest eligible start / largest eligible demand)
//
// and each request placed takes one slot, solved exactly by min-cost flow: successive shortest
// paths with potentials, adding one request at a time; see Problem.Solve), improves it on the
// real calendars (placing the unserved, moving requests up their rankings, rounds of ruin and
// recreate, all bounded in steps, not time) and reports a Proof: an upper bound on the requests
// any allocation can serve, and on small batches a branch and bound search that proves the
// optimum. BENCH.md gives served, cost and the bound against the slot model, the former
// price-and-distance objective, greedy and first-fit. The property tests check the allocation
// against a brute-force search of the real calendars, day by day, on random batches whose
// calendars rise and fall.
//
// # The instance format
//
// ReadInstance reads one JSON object (so does `carebroker solve <file>`, in cmd/carebroker):
//
//	{
//	  "config": {                              // optional; omitted fields keep DefaultConfig
//	    "weights": {"distance": 25, "quality": 25, "price": 20, "preference": 20, "continuity": 10},
//	    "ratings": {"require_registration": true, "disallowed": ["inadequate"],
//	                "quality": {"outstanding": 1000, "good": 800, "requires_improvement": 400,
//	                            "inadequate": 0, "not_yet_rated": 500}},
//	    "distance_scale_km": 20, "default_radius_km": 20, "near_miss_km": 2.5
//	  },
//	  "requests": [{
//	    "id": "R1",
//	    "service_type": "specialist_homecare",  // a service type code, see below
//	    "generic_alternative": "homecare",      // optional, specialist requests only
//	    "hours": 10.5,                          // hour-based types; "places": 1 for place-based
//	    "lat": 53.4808, "lon": -2.2426,
//	    "postcode_district": "M14",             // optional
//	    "start_date": "2026-12-01",
//	    "budget_pence": 35000,                  // weekly; may be 0 only when self_funded
//	    "allow_over_budget": false, "self_funded": false,
//	    "preferences": {"language": "Urdu", "carer_gender": "female",
//	                    "cultural_tags": ["halal food"], "known_provider_ids": ["P12"]}
//	  }],
//	  "services": [{
//	    "id": "S1", "provider_id": "P12", "name": "Ancoats Home Care",
//	    "service_type": "homecare", "lat": 53.4840, "lon": -2.2270,
//	    "coverage": {"radius_km": 10},          // or {"postcode_districts": ["M4", "M40"]}
//	    "capacity": [{"from": "2026-11-01", "free": 30}, {"from": "2027-01-04", "free": 12}],
//	    "rates": [{"pence": 2450, "from": "2026-04-01", "to": "2027-03-31"}],
//	    "compliance": {
//	      "memberships": [{"kind": "framework", "name": "Homecare 2024", "from": "2024-04-01", "to": "2028-03-31"}],
//	      "contract_status": "active",          // active, pending, suspended, terminated, expired
//	      "suspensions": [{"kind": "embargo", "from": "2027-02-01", "to": "2027-02-28", "reason": "safeguarding"}],
//	      "insurance": [{"from": "2026-06-01", "to": "2027-05-31"}],
//	      "cqc_registered": true, "cqc_rating": "good"
//	    },
//	    "languages": ["English", "Urdu"], "carer_genders": ["female", "male"], "tags": ["halal food"]
//	  }]
//	}
//
// Service type codes: homecare, specialist_homecare, residential_care, nursing_care,
// specialist_residential_nursing, supported_living, respite, specialist_respite, day_services,
// specialist_day_services, shared_lives, reablement. Homecare, specialist_homecare,
// supported_living and reablement are counted in hours; the rest in places.
// Capacity "free" and rate "pence" are in the service's unit: hours a week and pence an hour,
// or places and pence a place a week. Dates are "YYYY-MM-DD"; a missing "to" means open-ended.
// CQC ratings: outstanding, good, requires_improvement, inadequate, not_yet_rated (the default).
// Unknown fields are errors, and every error names its field, such as
// "requests[3].hours: must be positive".
//
// The command writes
//
//	{"solver": "exact", "requests": 3, "served": 2, "total_cost": 12345,
//	 "total_weekly_cost_pence": 40000,
//	 "assignments": [{"request_id": "R1", "service_id": "S2", "provider_id": "P2", "cost": 6000,
//	                  "weekly_cost_pence": 20000, "distance_km": 3.6, "over_budget": false}],
//	 "unserved": [{"request_id": "R3", "eligible_services": 0}]}
//
// and with -problem adds "problem": the request IDs, each service's slots and every eligible
// pair with its cost, which is all another min-cost-flow or integer programming solver needs to
// check the answer.
package matching
