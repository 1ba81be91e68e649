//go:build js && wasm

package main

import (
	"strconv"
	"strings"
	"syscall/js"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// controls are the inputs of one function, built from the registry: per parameter a range
// input (data-param) and a typed box (data-param-box) for Real and Int, a checkbox for Bool, a
// select for Choice, an editor for Vector; then the view's controls (x range, target, input).
type controls struct {
	b      *browser
	f      *core.Func
	fields map[string]*field // by key: parameter name, "xmin", "xmax", "t", "x"
}

type field struct {
	key   string
	rng   el   // range input
	box   el   // typed box
	sel   el   // select (Choice)
	chk   el   // checkbox (Bool)
	elems []el // Vector / input editor boxes
	msg   el   // message next to the field
}

func (c *controls) el(tag, cls string) el {
	e := c.b.create(tag)
	if cls != "" {
		e.SetAttribute("class", cls)
	}
	return e
}

func val(e el) string       { return e.Underlying().Get("value").String() }
func setVal(e el, s string) { e.Underlying().Set("value", s) }

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// listen adds an event listener through syscall/js. dom/v2's AddEventListener wraps every
// event in its Event interface, which links all of dom/v2's event types and the time package
// (about 140 KB of wasm code); the controls need only "this event happened".
func listen(e el, ev string, f func()) {
	fn := js.FuncOf(func(js.Value, []js.Value) any {
		f()
		return nil
	})
	listeners = append(listeners, fn)
	e.Underlying().Call("addEventListener", ev, fn)
}

// listeners are the controls' callbacks, released when the controls are rebuilt.
var listeners []js.Func

func releaseListeners() {
	for _, fn := range listeners {
		fn.Release()
	}
	listeners = listeners[:0]
}

// buildControls replaces the content of #controls with the controls of s.F.
func buildControls(b *browser, s *view.State) *controls {
	c := &controls{b: b, f: s.F, fields: map[string]*field{}}
	root := b.byID("controls")
	clear(root)
	releaseListeners()
	f := s.F
	if len(f.Params) > 0 {
		appendChild(root, b.text("h2", "section-title", "Parameters"))
	} else {
		appendChild(root, b.text("p", "no-params", f.Name+" has no parameters."))
	}
	for i := range f.Params {
		appendChild(root, c.param(&f.Params[i], s, i))
	}
	appendChild(root, b.text("h2", "section-title", "View"))
	switch f.Kind {
	case core.Activation, core.Loss:
		if f.Kind == core.Loss && f.Curve != nil {
			cv := f.Curve
			appendChild(root, c.slider("t", cv.T.Label, "the target of the loss curve and of the surface", cv.T.Min, cv.T.Max, cv.TStep, func(text, src string) {
				c.b.app.SetViewText("t", text, src)
			}))
		}
		appendChild(root, c.xrange())
	case core.VectorActivation:
		appendChild(root, c.vectorEditor("x", "input x (logits)", "drag the bars or type; "+strconv.Itoa(view.MaxInputLen)+" elements at most", s.In, false))
	}
	return c
}

// slider builds a range input with a typed box. set receives the text and the typed box's key
// ("" when the slider moved).
func (c *controls) slider(key, label, doc string, lo, hi, step float64, set func(text, src string)) el {
	fd := &field{key: key}
	c.fields[key] = fd
	wrap := c.el("div", "field")
	wrap.SetAttribute("data-field", key)
	head := c.el("div", "field-head")
	lab := c.el("label", "pname")
	lab.SetAttribute("for", "ctl-"+key)
	lab.SetTextContent(label)
	box := c.el("input", "num")
	box.SetAttribute("type", "text")
	box.SetAttribute("inputmode", "decimal")
	box.SetAttribute("autocomplete", "off")
	box.SetAttribute("spellcheck", "false")
	box.SetAttribute("data-param-box", key)
	box.SetAttribute("aria-label", label+" (type a value)")
	appendChild(head, lab)
	appendChild(head, box)
	rng := c.el("input", "")
	rng.SetAttribute("type", "range")
	rng.SetID("ctl-" + key)
	rng.SetAttribute("data-param", key)
	rng.SetAttribute("min", num(lo))
	rng.SetAttribute("max", num(hi))
	if step > 0 {
		rng.SetAttribute("step", num(step))
	} else {
		rng.SetAttribute("step", "any")
	}
	ends := c.el("div", "range-ends")
	appendChild(ends, c.b.text("span", "", short(lo)))
	appendChild(ends, c.b.text("span", "", short(hi)))
	appendChild(wrap, head)
	appendChild(wrap, rng)
	appendChild(wrap, ends)
	if doc != "" {
		appendChild(wrap, c.b.text("p", "doc", doc))
	}
	fd.msg = c.el("p", "field-msg")
	fd.msg.SetAttribute("hidden", "")
	fd.msg.SetID("msg-" + key)
	box.SetAttribute("aria-describedby", "msg-"+key)
	appendChild(wrap, fd.msg)
	fd.rng, fd.box = rng, box
	listen(rng, "input", func() { set(val(rng), "") })
	listen(box, "input", func() { set(val(box), key) })
	return wrap
}

func (c *controls) param(q *core.Param, s *view.State, i int) el {
	name := q.Name
	switch q.Type {
	case core.Real, core.Int:
		step := q.Step
		if q.Type == core.Int && step <= 0 {
			step = 1
		}
		return c.slider(name, name, q.Doc, q.Min, q.Max, step, func(text, src string) {
			c.b.app.SetParamText(name, text, src)
		})
	case core.Bool:
		fd := &field{key: name}
		c.fields[name] = fd
		wrap := c.el("div", "field field-bool")
		wrap.SetAttribute("data-field", name)
		lab := c.el("label", "check")
		chk := c.el("input", "")
		chk.SetAttribute("type", "checkbox")
		chk.SetAttribute("data-param", name)
		appendChild(lab, chk)
		appendChild(lab, c.b.text("span", "pname", name))
		appendChild(wrap, lab)
		if q.Doc != "" {
			appendChild(wrap, c.b.text("p", "doc", q.Doc))
		}
		fd.msg = c.el("p", "field-msg")
		fd.msg.SetAttribute("hidden", "")
		appendChild(wrap, fd.msg)
		fd.chk = chk
		listen(chk, "change", func() {
			c.b.app.SetParamText(name, strconv.FormatBool(chk.Underlying().Get("checked").Bool()), "")
		})
		return wrap
	case core.Choice:
		fd := &field{key: name}
		c.fields[name] = fd
		wrap := c.el("div", "field")
		wrap.SetAttribute("data-field", name)
		lab := c.el("label", "pname")
		lab.SetAttribute("for", "ctl-"+name)
		lab.SetTextContent(name)
		sel := c.el("select", "")
		sel.SetID("ctl-" + name)
		sel.SetAttribute("data-param", name)
		for _, ch := range q.Choices {
			o := c.el("option", "")
			o.SetAttribute("value", ch)
			o.SetTextContent(ch)
			appendChild(sel, o)
		}
		appendChild(wrap, lab)
		appendChild(wrap, sel)
		if q.Doc != "" {
			appendChild(wrap, c.b.text("p", "doc", q.Doc))
		}
		fd.msg = c.el("p", "field-msg")
		fd.msg.SetAttribute("hidden", "")
		appendChild(wrap, fd.msg)
		fd.sel = sel
		listen(sel, "change", func() { c.b.app.SetParamText(name, val(sel), "") })
		return wrap
	case core.Vector:
		return c.vectorEditor(name, name, q.Doc, s.P.Vec[i], true)
	}
	return c.b.text("p", "doc", name+": unsupported parameter type")
}

// vectorEditor builds one typed box per element with add/remove buttons. For a parameter,
// nil is PyTorch's None, shown with a button to give a vector.
func (c *controls) vectorEditor(key, label, doc string, v []float64, isParam bool) el {
	fd := &field{key: key}
	c.fields[key] = fd
	wrap := c.el("div", "field field-vector")
	wrap.SetAttribute("data-field", key)
	wrap.SetAttribute("data-param", key)
	appendChild(wrap, c.b.text("span", "pname", label))
	row := c.el("div", "vec-row")
	set := func(idx int, text string) {
		if isParam {
			c.b.app.SetVectorParam(key, idx, text)
		} else {
			c.b.app.SetInput(idx, text)
		}
	}
	if isParam && v == nil {
		appendChild(row, c.b.text("span", "none", "None (every class weighs 1)"))
	}
	for idx := range v {
		box := c.el("input", "num vec-num")
		box.SetAttribute("type", "text")
		box.SetAttribute("inputmode", "decimal")
		box.SetAttribute("autocomplete", "off")
		box.SetAttribute("spellcheck", "false")
		box.SetAttribute("data-param-box", key)
		box.SetAttribute("data-index", strconv.Itoa(idx))
		box.SetAttribute("aria-label", label+" element "+strconv.Itoa(idx))
		k := idx
		listen(box, "input", func() { set(k, val(box)) })
		appendChild(row, box)
		fd.elems = append(fd.elems, box)
	}
	btns := c.el("div", "vec-buttons")
	add := c.b.text("button", "small", "+ element")
	add.SetAttribute("type", "button")
	listen(add, "click", func() { set(-1, "add") })
	appendChild(btns, add)
	if len(v) > 1 {
		rm := c.b.text("button", "small", "− element")
		rm.SetAttribute("type", "button")
		listen(rm, "click", func() { set(-1, "remove") })
		appendChild(btns, rm)
	}
	if isParam && v != nil {
		none := c.b.text("button", "small", "None")
		none.SetAttribute("type", "button")
		none.SetAttribute("title", "no weight (PyTorch's default)")
		listen(none, "click", func() { set(-1, "none") })
		appendChild(btns, none)
	}
	appendChild(wrap, row)
	appendChild(wrap, btns)
	if doc != "" {
		appendChild(wrap, c.b.text("p", "doc", doc))
	}
	fd.msg = c.el("p", "field-msg")
	fd.msg.SetAttribute("hidden", "")
	appendChild(wrap, fd.msg)
	return wrap
}

// xrange builds the x-range boxes (URL keys xmin and xmax).
func (c *controls) xrange() el {
	wrap := c.el("div", "field field-xrange")
	wrap.SetAttribute("data-field", "xrange")
	appendChild(wrap, c.b.text("span", "pname", "x range"))
	row := c.el("div", "xrange-row")
	msg := c.el("p", "field-msg")
	msg.SetAttribute("hidden", "")
	for _, k := range []string{"xmin", "xmax"} {
		key := k
		box := c.el("input", "num")
		box.SetAttribute("type", "text")
		box.SetAttribute("inputmode", "decimal")
		box.SetAttribute("autocomplete", "off")
		box.SetAttribute("spellcheck", "false")
		box.SetAttribute("data-param-box", key)
		box.SetAttribute("aria-label", key)
		if key == "xmax" {
			appendChild(row, c.b.text("span", "to", "to"))
		}
		appendChild(row, box)
		c.fields[key] = &field{key: key, box: box, msg: msg}
		listen(box, "change", func() { c.b.app.SetViewText(key, val(box), key) })
	}
	appendChild(wrap, row)
	appendChild(wrap, msg)
	return wrap
}

// sync writes s into the controls, except the typed box skip.
func (c *controls) sync(s *view.State, skip string) {
	f := s.F
	if f != c.f {
		return
	}
	for i := range f.Params {
		q := &f.Params[i]
		fd := c.fields[q.Name]
		if fd == nil {
			continue
		}
		switch q.Type {
		case core.Real, core.Int:
			setVal(fd.rng, num(s.P.Num[i]))
			if skip != q.Name {
				setVal(fd.box, view.FormatParam(f, s.P, i))
			}
		case core.Bool:
			fd.chk.Underlying().Set("checked", s.P.Num[i] != 0)
		case core.Choice:
			setVal(fd.sel, f.ChoiceOf(s.P, i))
		case core.Vector:
			c.syncElems(fd, s.P.Vec[i], skip)
		}
	}
	if fd := c.fields["t"]; fd != nil {
		setVal(fd.rng, num(s.T))
		if skip != "t" {
			setVal(fd.box, num(s.T))
		}
	}
	for _, k := range []string{"xmin", "xmax"} {
		if fd := c.fields[k]; fd != nil && skip != k {
			v := s.XMin
			if k == "xmax" {
				v = s.XMax
			}
			setVal(fd.box, num(v))
		}
	}
	if fd := c.fields["x"]; fd != nil {
		c.syncElems(fd, s.In, skip)
	}
}

func (c *controls) syncElems(fd *field, v []float64, skip string) {
	for idx, box := range fd.elems {
		if idx >= len(v) {
			break
		}
		if skip == fd.key+"."+strconv.Itoa(idx) {
			continue
		}
		setVal(box, short(v[idx]))
	}
}

// fieldError shows msg next to the field of key ("weight.2" belongs to weight), or hides it.
func (c *controls) fieldError(key, msg string) {
	base, idx, hasIdx := strings.Cut(key, ".")
	fd := c.fields[base]
	if fd == nil || fd.msg == nil {
		return
	}
	var box el
	switch {
	case hasIdx:
		if n, err := strconv.Atoi(idx); err == nil && n < len(fd.elems) {
			box = fd.elems[n]
		}
	default:
		box = fd.box
	}
	if msg == "" {
		fd.msg.SetAttribute("hidden", "")
		fd.msg.SetTextContent("")
		if box != nil {
			box.RemoveAttribute("aria-invalid")
		}
		return
	}
	fd.msg.RemoveAttribute("hidden")
	fd.msg.SetTextContent(msg)
	isErr := c.b.app.isFieldErr(key)
	if isErr {
		fd.msg.SetAttribute("class", "field-msg error")
	} else {
		fd.msg.SetAttribute("class", "field-msg note")
	}
	if box != nil {
		if isErr {
			box.SetAttribute("aria-invalid", "true")
		} else {
			box.RemoveAttribute("aria-invalid")
		}
	}
}
