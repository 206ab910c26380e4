package plans

import (
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/day"
)

// twoNeeds is a plan with two arranged needs and one direct payment.
func twoNeeds(personID uuid.UUID, start day.Date) NewPlan {
	return NewPlan{PersonID: personID, PlanContent: PlanContent{
		PersonalBudgetWeeklyPence: 60000, ContingencyPence: 5000,
		Needs: []NewNeed{
			{Outcome: "Get up, washed and dressed each morning", HowMet: CouncilArranged, WeeklyBudgetPence: 35000,
				ServiceType: "homecare", HoursPerWeek: 14, StartDate: start, Urgency: Standard,
				Preferences: Preferences{Language: "Urdu", CarerGender: "female", CulturalNeeds: "halal food", ImportantToThem: "Mornings before 9"}},
			{Outcome: "A day out each week with others", HowMet: CouncilArranged, WeeklyBudgetPence: 15000,
				ServiceType: "day_services", Places: 1, StartDate: start, Urgency: Interim},
			{Outcome: "Choose their own gardener", HowMet: DirectPayment, WeeklyBudgetPence: 5000,
				DirectPayment: &DirectPaymentTerms{AmountPence: 20000, Frequency: PaidFourWeekly, Purchase: BuysOther}},
		},
	}}
}
