package depth

import (
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

func init() { Lab.Code = Code }

// Code is the lab's "As PyTorch" snippet: the same network in PyTorch (float64), with the
// init's calls and the loss whose gradient the lab shows; fn is the activation's own snippet
// (its module line first). PyTorch draws its own random
// numbers, so its statistics match the lab's in distribution, not digit for digit.
func Code(s *view.State, fn []string) []string {
	c := ConfigOf(s)
	n := strconv.Itoa(c.Width)
	act := "nn." + c.F.Class + "()"
	lambda := false
	if len(fn) > 0 {
		act = fn[0]                         // the function's own module line, with its parameters
		if !strings.HasPrefix(act, "nn.") { // outside torch.nn (linear's c·x, sin): a lambda module
			act, lambda = "Lambda(lambda x: "+act+")", true
		}
	}
	lines := []string{
		"import torch, torch.nn as nn",
		"torch.manual_seed(" + strconv.FormatUint(c.Seed, 10) + ")",
	}
	if lambda {
		lines = append(lines, "class Lambda(nn.Module):",
			"    def __init__(self, f): super().__init__(); self.f = f",
			"    def forward(self, x): return self.f(x)")
	}
	lines = append(lines, "layers = []", "for _ in range("+strconv.Itoa(c.Depth)+"):",
		"    lin = nn.Linear("+n+", "+n+", dtype=torch.float64)")
	in := c.Init
	switch in.Name {
	case "default":
		if in.BiasMean != 0 {
			lines = append(lines, "    with torch.no_grad(): lin.bias += "+core.PyFloat(in.BiasMean))
		}
	case "custom":
		lines = append(lines, "    nn.init.normal_(lin.weight, std="+core.PyFloat(in.SigmaW)+" / "+n+" ** 0.5)",
			"    nn.init.normal_(lin.bias, mean="+core.PyFloat(in.BiasMean)+", std="+core.PyFloat(in.SigmaB)+")")
	default:
		w := ""
		switch in.Name {
		case "xavier_uniform", "xavier_normal", "orthogonal":
			w = "nn.init." + in.Name + "_(lin.weight" + gainArg(in.Gain) + ")"
		case "kaiming_uniform", "kaiming_normal":
			w = "nn.init." + in.Name + "_(lin.weight, a=" + core.PyFloat(in.A) + ", nonlinearity='" + in.Nonlinearity + "')"
		case "lecun_normal":
			w = "nn.init.kaiming_normal_(lin.weight, nonlinearity='linear')  # LeCun normal: std 1/√fan_in"
		}
		lines = append(lines, "    "+w,
			"    nn.init.normal_(lin.bias, mean="+core.PyFloat(in.BiasMean)+", std="+core.PyFloat(in.BiasStd)+")")
	}
	lines = append(lines, "    layers += [lin, "+act+"]",
		"net = nn.Sequential(*layers)",
		"x = torch.randn("+strconv.Itoa(c.Batch)+", "+n+", dtype=torch.float64)",
		"hs = []  # the pre-activations h_l, to read their gradients",
		"for m in net:",
		"    x = m(x)",
		"    if isinstance(m, nn.Linear): x.retain_grad(); hs.append(x)",
		"loss = 0.5 * x.pow(2).mean()",
		"loss.backward()",
		"print([h.grad.pow(2).mean().sqrt().item() for h in hs])  # RMS ∂L/∂h_l per layer")
	return lines
}

func gainArg(g float64) string {
	if g == 1 {
		return ""
	}
	return ", gain=" + core.PyFloat(g)
}
