package brokerage

import "fmt"

// Amount describes hours or places: "14 hours a week", "1 place".
func Amount(hours, places int) string {
	switch {
	case hours == 1:
		return "1 hour a week"
	case hours > 0:
		return fmt.Sprintf("%d hours a week", hours)
	case places == 1:
		return "1 place"
	}
	return fmt.Sprintf("%d places", places)
}
