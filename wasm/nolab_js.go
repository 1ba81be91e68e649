//go:build js && wasm && !lab

package main

import "github.com/nnplay/nnplay/core/view"

// The function page's program has no lab (view.Labs() is empty): the labs' parts of the page
// are in lab_js.go, built into the labs' program only (build tag lab).

func (b *browser) showLab(lab *view.Lab) {}

func (c *controls) pinned(k *view.Key, s *view.State) el { return nil }
