//go:build js && wasm

package main

import (
	"strconv"
	"syscall/js"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
	"honnef.co/go/js/dom/v2"
)

// browser implements Host with dom/v2 (the controls, messages, URL) and the JavaScript glue
// (the plots).
type browser struct {
	app  *App
	docv js.Value
	glue js.Value

	frame js.Func

	// what each view's draws reuse: its data object and its transfer buffers
	perView map[*view.View]*viewJS

	ctl *controls

	perf  js.Value // window.performance (Now)
	soon  js.Value // the MessageChannel port After(0) posts to; soonQ its pending functions
	soonQ []func()

	pickerLab, shownLab *view.Lab // the lab the picker lists the functions of; whose presets are shown
	labShown            bool

	urlTimer   js.Value // the pending trailing setTimeout, or undefined
	urlFlush   js.Func
	urlPending string
	urlShown   string // the query last written with replaceState
	urlWritten bool
	openHref   string // #open-full's href last set

	snipText   []string // the text of each of the snippet's code lines (the embed code last)
	snipEls    []el     // and their elements, updated in place while the line count holds
	snipEmbed  bool     // the embed code is among them
	snipOrigin string   // location.origin when the page shows the embed snippet, else ""
	snipMode   bool     // snipOrigin is known
	lastMsgs   []Message
	msgsShown  bool // the loading note has been replaced
}

func newBrowser(glue js.Value) *browser {
	b := &browser{docv: js.Global().Get("document"), glue: glue,
		perView: map[*view.View]*viewJS{}}
	b.frame = js.FuncOf(func(js.Value, []js.Value) any {
		b.app.Frame()
		return nil
	})
	b.urlFlush = js.FuncOf(func(js.Value, []js.Value) any {
		b.flushURL()
		return nil
	})
	// A drag's end writes the URL at once rather than after the debounce. A change event does not:
	// each arrow-key press on a slider or a select is one, and a held key repeats it 30 times a
	// second (issue 5: replaceState with its favicon refetch cost 2-6 ms per update).
	settled := js.FuncOf(func(js.Value, []js.Value) any { // lives as long as the page
		if b.urlTimer.Truthy() {
			b.flushURL()
		}
		return nil
	})
	js.Global().Call("addEventListener", "pointerup", settled, true)
	// Back and Forward between functions (SetFunc pushes a history entry): show that state.
	popstate := js.FuncOf(func(js.Value, []js.Value) any { // lives as long as the page
		q := js.Global().Get("location").Get("search").String()
		b.urlPending, b.urlShown, b.urlWritten = trimQ(q), trimQ(q), true
		b.app.LoadQuery(q)
		return nil
	})
	js.Global().Call("addEventListener", "popstate", popstate)
	return b
}

func trimQ(q string) string {
	if len(q) > 0 && q[0] == '?' {
		return q[1:]
	}
	return q
}

// flushURL writes the pending query into the address bar (history.replaceState) if it differs
// from the one shown, and cancels the pending debounce timer.
func (b *browser) flushURL() { b.writeURL(false) }

// writeURL writes the pending query with replaceState, or pushState for a new history entry.
func (b *browser) writeURL(push bool) {
	if b.urlTimer.Truthy() {
		js.Global().Call("clearTimeout", b.urlTimer)
	}
	b.urlTimer = js.Undefined()
	if b.urlWritten && b.urlPending == b.urlShown && !push {
		return
	}
	b.urlShown, b.urlWritten = b.urlPending, true
	{
		loc := js.Global().Get("location")
		url := loc.Get("pathname").String()
		if b.urlPending != "" {
			url += "?" + b.urlPending
		}
		url += loc.Get("hash").String()
		method := "replaceState"
		if push {
			method = "pushState"
		}
		js.Global().Get("history").Call(method, js.Null(), "", url)
	}
}

// el is a DOM element as dom/v2's concrete *BasicHTMLElement. Calling its methods statically,
// never through dom/v2's big interfaces, lets the linker drop the wrappers of every other element
// type (about 600 KB of wasm code otherwise).
type el = *dom.BasicHTMLElement

func wrapEl(v js.Value) el {
	if v.IsNull() || v.IsUndefined() {
		return nil
	}
	return &dom.BasicHTMLElement{BasicElement: &dom.BasicElement{BasicNode: &dom.BasicNode{Value: v}}}
}

func (b *browser) create(tag string) el { return wrapEl(b.docv.Call("createElement", tag)) }

// mk creates <tag> with the given attribute name, value pairs.
func (b *browser) mk(tag string, attrs ...string) el {
	e := b.create(tag)
	for i := 0; i+1 < len(attrs); i += 2 {
		e.SetAttribute(attrs[i], attrs[i+1])
	}
	return e
}

// add appends children to parent and returns parent.
func add(parent el, children ...el) el {
	p := parent.Underlying()
	for _, c := range children {
		p.Call("appendChild", c.Underlying())
	}
	return parent
}

func (b *browser) byID(id string) el { return wrapEl(b.docv.Call("getElementById", id)) }

func (b *browser) RequestFrame() { js.Global().Call("requestAnimationFrame", b.frame) }

func (b *browser) Drawn(seq int) { b.glue.Call("drawn", seq) }

func (b *browser) Show(m Meta, s *view.State) {
	// the state shown may not have been written to the address bar (a clean link is left as
	// it is): the embed page's link to the full page must carry it all the same
	b.setOpenLink(URLQuery(s))
	f := m.F
	views := make([]any, len(m.Views))
	for i, v := range m.Views {
		views[i] = map[string]any{"id": v.ID, "renderer": v.Renderer}
	}
	o := map[string]any{
		"id": f.ID, "name": f.Name, "cls": f.Class, "kind": string(f.Kind), "torch": m.Torch,
		"formula": f.Formula, "derivative": f.Derivative, "source": f.Source, "views": views,
	}
	if m.Lab != nil {
		o["lab"] = m.Lab.ID
		o["labTitle"] = m.Lab.Title
	}
	b.glue.Call("show", toJS(o))
	b.showLab(m.Lab)
	b.showNotes(f)
	b.ctl = buildControls(b, s)
	picker := b.byID("picker")
	picker.Underlying().Set("value", f.ID)
	picker.SetAttribute("title", f.Name+" ("+f.ID+")") // the closed select may cut a long name
	b.Sync(s, "", view.ChAll)
}

// showNotes fills the Conventions card: the derivative's conventions at kinks and where nnplay
// knowingly differs from PyTorch.
func (b *browser) showNotes(f *core.Func) {
	kinks := b.byID("kinks")
	empty(kinks)
	if len(f.Kinks) == 0 {
		switch f.Kind {
		case core.Loss:
			appendChild(kinks, b.text("li", "", "The derivative is the gradient of sum(loss) (what backward() leaves in .grad), scaled by the reduction."))
		case core.VectorActivation:
			appendChild(kinks, b.text("li", "", "Smooth everywhere. The gradient shown is the vector-Jacobian product with a vector of ones: what y.backward(torch.ones_like(y)) leaves in x.grad."))
		default:
			appendChild(kinks, b.text("li", "", "Smooth everywhere: the analytic derivative and the finite difference agree."))
		}
	}
	for _, k := range f.Kinks {
		appendChild(kinks, b.text("li", "", k))
	}
	diffs := b.byID("differences")
	empty(diffs)
	if len(f.Differences) == 0 {
		appendChild(diffs, b.text("li", "none", "None known: nnplay gives PyTorch's values (float64)."))
	}
	for _, d := range f.Differences {
		appendChild(diffs, b.text("li", "", d))
	}
}

// empty removes every child of e.
func empty(e el) { e.SetInnerHTML("") }

// text creates <tag class=cls>s</tag>.
func (b *browser) text(tag, cls, s string) el {
	e := b.create(tag)
	if cls != "" {
		e.SetAttribute("class", cls)
	}
	e.SetTextContent(s)
	return e
}

func (b *browser) Sync(s *view.State, skip string, ch view.Changes) {
	if b.ctl != nil {
		b.ctl.sync(s, skip, ch)
	}
	b.updateSnippet()
}

func (b *browser) FieldError(key, msg string) {
	if b.ctl != nil {
		b.ctl.fieldError(key, msg)
	}
}

// viewJS is what a view's draws reuse: the data object (its properties rewritten each frame:
// one js.Value for the view's life rather than one per frame), the typed arrays by buffer name,
// and the names set by the last draw (a name the next draw does not set becomes undefined).
type viewJS struct {
	obj       js.Value
	f64       map[string]*f64Buf
	u8        map[string]*u8Buf
	strs      map[string]string // the texts on obj: an unchanged text is not set again
	prev, cur []string
}

// Configure hands a view's set-up to its renderer (glue.configure(id, data)) in an object of
// its own (the renderer may keep it).
func (b *browser) Configure(v *view.View, out *view.Out) {
	b.glue.Call("configure", v.ID, b.fill(b.viewJS(v), js.Global().Get("Object").New(), out))
}

// Draw hands a view's frame to its renderer (glue.draw(id, data)): one call per view and frame.
func (b *browser) Draw(v *view.View, out *view.Out) {
	vj := b.viewJS(v)
	b.glue.Call("draw", v.ID, b.fill(vj, vj.obj, out))
	// what the last frame set and this one did not is undefined now
	for _, name := range vj.prev {
		if !containsName(vj.cur, name) {
			vj.obj.Set(name, js.Undefined())
			delete(vj.strs, name)
		}
	}
	vj.prev, vj.cur = vj.cur, vj.prev[:0]
}

func containsName(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (b *browser) viewJS(v *view.View) *viewJS {
	vj := b.perView[v]
	if vj == nil {
		vj = &viewJS{obj: js.Global().Get("Object").New(), f64: map[string]*f64Buf{}, u8: map[string]*u8Buf{}, strs: map[string]string{}}
		b.perView[v] = vj
	}
	return vj
}

// fill writes an Out into o: each buffer copied in bulk into a typed array reused across frames
// (by name), numbers, texts and values as properties; the names go into vj.cur.
func (b *browser) fill(vj *viewJS, o js.Value, out *view.Out) js.Value {
	vj.cur = vj.cur[:0]
	for _, nb := range out.F64 {
		buf := vj.f64[nb.Name]
		if buf == nil {
			buf = &f64Buf{}
			vj.f64[nb.Name] = buf
		}
		o.Set(nb.Name, buf.put(nb.Data))
		vj.cur = append(vj.cur, nb.Name)
	}
	for _, nb := range out.U8 {
		buf := vj.u8[nb.Name]
		if buf == nil {
			buf = &u8Buf{}
			vj.u8[nb.Name] = buf
		}
		o.Set(nb.Name, buf.put(nb.Data))
		vj.cur = append(vj.cur, nb.Name)
	}
	for _, n := range out.Nums {
		o.Set(n.Name, n.V)
		vj.cur = append(vj.cur, n.Name)
	}
	reused := o.Equal(vj.obj)
	for _, n := range out.Strs {
		if old, ok := vj.strs[n.Name]; !reused || !ok || old != n.V {
			o.Set(n.Name, n.V)
			if reused {
				vj.strs[n.Name] = n.V
			}
		}
		vj.cur = append(vj.cur, n.Name)
	}
	for _, n := range out.Vals {
		o.Set(n.Name, toJS(n.V))
		vj.cur = append(vj.cur, n.Name)
	}
	return o
}

func (b *browser) Messages(ms []Message) {
	if b.msgsShown && sameMessages(ms, b.lastMsgs) {
		return
	}
	b.msgsShown = true
	b.lastMsgs = append(b.lastMsgs[:0], ms...)
	box := b.byID("messages")
	empty(box)
	for _, m := range ms {
		appendChild(box, b.text("p", "msg "+m.Level, m.Text))
	}
	box.Underlying().Get("dataset").Set("count", strconv.Itoa(len(ms)))
}

func sameMessages(a, b []Message) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// URLSettleMs is the trailing debounce of the address bar: history.replaceState costs up to
// ~2 ms in Chromium, so it runs once the input settles (or at pointerup), not per event.
const URLSettleMs = 350

// ReplaceURL updates the address bar with history.replaceState URLSettleMs after the last
// change (at once on pointerup), and the embed page's "open in nnplay" link at once.
func (b *browser) ReplaceURL(query string, push bool) {
	b.urlPending = query
	b.setOpenLink(query)
	if push {
		if b.urlTimer.Truthy() {
			js.Global().Call("clearTimeout", b.urlTimer)
		}
		b.urlTimer = js.Undefined()
		b.writeURL(true)
		return
	}
	if b.urlWritten && query == b.urlShown {
		if b.urlTimer.Truthy() {
			js.Global().Call("clearTimeout", b.urlTimer)
			b.urlTimer = js.Undefined()
		}
		return
	}
	if b.urlTimer.Truthy() {
		js.Global().Call("clearTimeout", b.urlTimer)
	}
	b.urlTimer = js.Global().Call("setTimeout", b.urlFlush, URLSettleMs)
}

// setOpenLink points the embed page's "Open in nnplay" link at the page with this query.
func (b *browser) setOpenLink(query string) {
	href := "./"
	if query != "" {
		href += "?" + query
	}
	if href != b.openHref {
		if link := b.byID("open-full"); link != nil {
			link.SetAttribute("href", href)
			b.openHref = href
		}
	}
}

func (b *browser) updateSnippet() {
	if !b.snipMode {
		// the embed snippet is shown in the page only (body[data-mode], fixed in the HTML)
		if b.docv.Get("body").Get("dataset").Get("mode").String() == "page" {
			b.snipOrigin = js.Global().Get("location").Get("origin").String()
		}
		b.snipMode = true
	}
	lines := Snippet(&b.app.S)
	embed := ""
	if b.snipOrigin != "" {
		embed = EmbedSnippet(b.snipOrigin, &b.app.S)
	}
	texts := lines
	if embed != "" {
		texts = append(texts[:len(texts):len(texts)], embed)
	}
	// While a slider moves only a value in a line changes: rewrite that line's text, not the
	// whole block (its removal and insertion cost style and layout every update, issue 5); an
	// unchanged snippet writes nothing.
	if len(texts) == len(b.snipText) && (embed != "") == b.snipEmbed {
		for i, t := range texts {
			if t != b.snipText[i] {
				b.snipEls[i].SetTextContent(t)
				b.snipText[i] = t
			}
		}
		return
	}
	el := b.byID("snippet")
	if el == nil {
		return
	}
	empty(el)
	b.snipText = append([]string(nil), texts...)
	b.snipEls = b.snipEls[:0]
	b.snipEmbed = embed != ""
	add(el, b.text("div", "snippet-title", "As PyTorch"))
	for _, line := range lines {
		c := b.text("code", "", line)
		b.snipEls = append(b.snipEls, c)
		add(el, c)
	}
	// The iframe for a course page, with this state (in the page only, not in the embed).
	if embed != "" {
		c := b.text("code", "embed-code", embed)
		b.snipEls = append(b.snipEls, c)
		add(el, b.text("div", "snippet-title", "Embed in a course page"), c)
	}
	el.RemoveAttribute("hidden")
}

// buildPicker fills #picker from the registry: optgroups by kind, then by Func.Group.
func (b *browser) buildPicker() {
	sel := b.byID("picker")
	b.fillPicker(b.app.S.Lab)
	sel.RemoveAttribute("disabled")
	sel.Underlying().Set("value", b.app.S.F.ID)
	keep := func(e el, ev string, f func()) { // lives as long as the page
		e.Underlying().Call("addEventListener", ev, js.FuncOf(func(js.Value, []js.Value) any { f(); return nil }))
	}
	keep(sel, "change", func() { b.app.SetFunc(sel.Underlying().Get("value").String()) })
	reset := b.byID("reset")
	reset.RemoveAttribute("disabled")
	keep(reset, "click", func() { b.app.Reset() })
}

// fillPicker lists the functions the page can show (a lab's: those it applies to).
func (b *browser) fillPicker(lab *view.Lab) {
	sel := b.byID("picker")
	empty(sel)
	b.pickerLab = lab
	var group el
	last := ""
	for _, f := range core.All() {
		if !view.AppliesIn(lab, f) {
			continue
		}
		label := kindLabel(f.Kind)
		if f.Group != "" {
			label += " · " + f.Group
		}
		if group == nil || label != last {
			group = b.create("optgroup")
			group.SetAttribute("label", label)
			appendChild(sel, group)
			last = label
		}
		opt := b.create("option")
		opt.SetAttribute("value", f.ID)
		opt.SetTextContent(f.Name + " (" + f.ID + ")")
		appendChild(group, opt)
	}
}

func kindLabel(k core.Kind) string {
	switch k {
	case core.Activation:
		return "Activations"
	case core.VectorActivation:
		return "Vector activations"
	}
	return "Losses"
}

// add and appendChild go through syscall/js rather than dom/v2's AppendChild(Node):
// converting an element to dom.Node links dom/v2's Event interface and with it the time
// package's formatting (about 60 KB of wasm code).
func appendChild(parent, child el) { add(parent, child) }

// Now reads performance.now() through a js.Value kept for the page's life: getting
// "performance" anew made a js.Value with a finalizer per call (runtime.addspecial), and the
// depth lab's steps read the clock after every unit of work.
func (b *browser) Now() float64 {
	if b.perf.IsUndefined() {
		b.perf = js.Global().Get("performance")
	}
	return b.perf.Call("now").Float()
}

// After(0, fn) runs fn in a new task posted through a MessageChannel: unlike setTimeout(0),
// which browsers clamp to 4 ms once nested, it runs as soon as the event loop has handled
// what is pending (input, a frame), so a computation split into steps (the depth lab's sample)
// keeps the main thread responsive without idling between its steps.
func (b *browser) After(ms int, fn func()) {
	if ms <= 0 {
		if b.soon.IsUndefined() || b.soon.IsNull() || b.soon.Type() == js.TypeUndefined {
			ch := js.Global().Get("MessageChannel").New()
			b.soon = ch.Get("port2")
			ch.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any { // lives as long as the page
				q := b.soonQ
				b.soonQ = nil
				for _, f := range q {
					f()
				}
				return nil
			}))
		}
		b.soonQ = append(b.soonQ, fn)
		if len(b.soonQ) == 1 {
			b.soon.Call("postMessage", 0)
		}
		return
	}
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		f.Release()
		fn()
		return nil
	})
	js.Global().Call("setTimeout", f, ms)
}
