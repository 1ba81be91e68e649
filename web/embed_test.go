package web

import (
	"io/fs"
	"testing"
)

func TestDistCompilesAndIsRooted(t *testing.T) {
	d := Dist()
	if _, err := fs.Stat(d, ".placeholder"); err != nil {
		t.Fatalf("Dist() is not rooted at web/dist: %v", err)
	}
	if _, err := fs.Stat(d, "dist"); err == nil {
		t.Fatalf("Dist() still contains a dist/ directory")
	}
	if Built() {
		if _, err := fs.Stat(d, "embed.html"); err != nil {
			t.Errorf("bundle has index.html but no embed.html: %v", err)
		}
	}
}

// The playground links to conformance.html#<function id>: a built bundle must have it.
func TestDistHasConformancePage(t *testing.T) {
	if !Built() {
		t.Skip("web/dist is not built (make web)")
	}
	if _, err := fs.Stat(Dist(), "conformance.html"); err != nil {
		t.Errorf("bundle has index.html but no conformance.html: %v", err)
	}
}
