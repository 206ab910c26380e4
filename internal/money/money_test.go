package money

import "testing"

func TestFormat(t *testing.T) {
	t.Parallel()
	for pence, want := range map[int64]string{
		0: "£0.00", 5: "£0.05", 4200: "£42.00", 39200: "£392.00", 123456: "£1,234.56",
		100000000: "£1,000,000.00", -4200: "-£42.00", 99999: "£999.99",
	} {
		if got := Format(pence); got != want {
			t.Errorf("Format(%d) = %q, want %q", pence, got, want)
		}
	}
}
