package matching

import "testing"

// A service costing more than twice the budget is excluded even when the
// request allows offers over budget, saying why.
func TestAServiceFarOverBudgetIsExcludedEvenWhenOverBudgetIsAllowed(t *testing.T) {
	t.Parallel()
	r := Reason{Code: CodeFarOverBudget, WeeklyCostPence: 80000, BudgetPence: 35000}
	if got, want := r.Text(), "£800.00 a week, more than twice the £350.00 budget"; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}
}
