package ratelimit

import (
	"net/netip"
	"testing"
)

// FuzzAddressKey: any client address (gin hands over what X-Forwarded-For
// says behind a trusted proxy) makes a key without panicking; an address
// that parses gives a canonical key, one per IPv4 address or IPv6 /64.
func FuzzAddressKey(f *testing.F) {
	for _, s := range []string{"203.0.113.9", "::ffff:203.0.113.9", "2001:db8::1", "fe80::1%eth0", "::", "1.2.3.4.5", "", "::ffff:0:0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := AddressKey(s)
		ip, err := netip.ParseAddr(s)
		if err != nil {
			if k != s {
				t.Fatalf("AddressKey(%q) = %q for an unparsable address", s, k)
			}
			return
		}
		if ip.Unmap().Is4() {
			if a, err := netip.ParseAddr(k); err != nil || a != ip.Unmap() {
				t.Fatalf("AddressKey(%q) = %q, want the IPv4 address", s, k)
			}
			return
		}
		p, err := netip.ParsePrefix(k)
		if err != nil || p.Bits() != 64 || !p.Contains(ip.WithZone("")) || p.Masked() != p {
			t.Fatalf("AddressKey(%q) = %q, want its /64", s, k)
		}
	})
}
