package matching_test

import (
	"fmt"

	"github.com/carebroker/carebroker/matching"
)

func Example() {
	day := func(s string) matching.Date {
		d, _ := matching.ParseDate(s)
		return d
	}
	service := func(id string, lon float64, pencePerHour int64, rating matching.Rating) matching.Service {
		return matching.Service{
			ID: id, ProviderID: "P-" + id, Name: id, ServiceType: matching.Homecare,
			Lat: 53.4808, Lon: lon, Coverage: matching.Coverage{RadiusKm: 10},
			Capacity: []matching.CapacityStep{{From: day("2026-11-01"), Free: 20}},
			Rates:    []matching.Rate{{Pence: pencePerHour, From: day("2026-04-01")}},
			Compliance: matching.Compliance{
				Memberships:    []matching.Membership{{Kind: "framework", From: day("2024-04-01")}},
				ContractStatus: matching.ContractActive, CQCRegistered: true, CQCRating: rating,
				Insurance: []matching.Cover{{From: day("2026-04-01"), To: day("2027-03-31")}},
			},
		}
	}
	directory := []matching.Service{
		service("Ancoats", -2.2124, 2200, matching.RatingGood),
		service("Openshaw", -2.1700, 2000, matching.RatingOutstanding),
		service("Hulme", -2.2500, 2450, matching.RatingInadequate),
		service("Stockport", -2.0600, 2000, matching.RatingGood),
		service("Salford", -2.2900, 2600, matching.RatingGood),
	}
	ix, err := matching.NewIndex(directory, matching.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := ix.Match(matching.Request{
		ID: "R1", ServiceType: matching.Homecare, Hours: 14, Lat: 53.4808, Lon: -2.2426,
		StartDate: day("2026-12-01"), BudgetPence: 35000,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range res.Ranked {
		fmt.Printf("%d. %s, %s a week: %s\n", m.Rank, m.ServiceID, matching.FormatPence(m.WeeklyCostPence), m.Breakdown.Text())
	}
	for _, e := range res.Excluded {
		for _, r := range e.Reasons {
			fmt.Printf("not %s: %s\n", e.ServiceID, r.Text())
		}
	}
	// Output:
	// 1. Openshaw, £280.00 a week: distance 19.0 of 25, quality 25.0 of 25, price 4.0 of 20, preferences 20.0 of 20, continuity 0.0 of 10
	// 2. Ancoats, £308.00 a week: distance 22.5 of 25, quality 20.0 of 25, price 2.4 of 20, preferences 20.0 of 20, continuity 0.0 of 10
	// not Hulme: CQC rating Inadequate
	// not Salford: £364.00 a week, £14.00 over the £350.00 budget
	// not Stockport: 12.1 km away; covers 10 km
}
