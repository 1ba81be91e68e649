package depth

import (
	"math"
	"sort"
)

// The linear collapse: how well one affine layer Ŷ = X·M + c, fitted by least squares over the
// batch, reproduces the network's output Y from its input X. [X 1] = Q·R by classical
// Gram–Schmidt applied twice (CGS2, orthogonal to rounding for a full-rank matrix), one column
// per unit of work and kept while the inputs stay the same; then Qᵀ·Y, the residual
// Y − Q·(Qᵀ·Y), and, when the residual is zero to rounding, M = R⁻¹·(Qᵀ·Y) and its singular
// values by one-sided Jacobi rotations (Hestenes), a few rotations per unit.

func (r *Runner) startCollapse() {
	c := &r.cfg
	N, B := c.Width, c.Batch
	if B <= N+1 {
		r.res.LinearResidual = math.NaN() // any map fits [X 1] exactly: the test says nothing
		r.phase = phDone
		return
	}
	if r.qrKey != r.x0Key || len(r.qr) != B*(N+1) {
		r.qr = grow(r.qr, B*(N+1))
		r.rr = grow(r.rr, (N+1)*(N+1))
		clear(r.rr)
		for b := 0; b < B; b++ {
			copy(r.qr[b*(N+1):b*(N+1)+N], r.x0[b*N:b*N+N])
			r.qr[b*(N+1)+N] = 1
		}
		r.qrCol = 0
		r.phase = phQR
		return
	}
	r.beginProject()
}

// qrUnit orthogonalises column qrCol of [X 1] against the previous ones, twice.
func (r *Runner) qrUnit() {
	N1, B := r.cfg.Width+1, r.cfg.Batch
	q, R := r.qr, r.rr
	j := r.qrCol
	for pass := 0; pass < 2; pass++ {
		for k := 0; k < j; k++ {
			var s float64
			for b := 0; b < B; b++ {
				s += q[b*N1+k] * q[b*N1+j]
			}
			R[k*N1+j] += s
			for b := 0; b < B; b++ {
				q[b*N1+j] -= s * q[b*N1+k]
			}
		}
	}
	var nrm float64
	for b := 0; b < B; b++ {
		nrm += q[b*N1+j] * q[b*N1+j]
	}
	nrm = math.Sqrt(nrm)
	R[j*N1+j] = nrm
	if nrm > 0 {
		for b := 0; b < B; b++ {
			q[b*N1+j] /= nrm
		}
	}
	r.qrCol++
	if r.qrCol == N1 {
		r.qrKey = r.x0Key
		r.beginProject()
	}
}

func (r *Runner) beginProject() {
	N := r.cfg.Width
	r.coef = grow(r.coef, (N+1)*N)
	clear(r.coef)
	r.row = 0
	r.resSum, r.ySum = 0, 0
	r.phase = phProject
}

// projectUnit accumulates coef = Qᵀ·Y over some rows of the batch.
func (r *Runner) projectUnit() {
	N, B := r.cfg.Width, r.cfg.Batch
	N1 := N + 1
	y := r.xs[(r.cfg.Depth-1)&1]
	hi := min(B, r.row+r.rowsPerUnit())
	for b := r.row; b < hi; b++ {
		yr := y[b*N : b*N+N]
		qr := r.qr[b*N1 : b*N1+N1]
		for k, qv := range qr {
			if qv != 0 {
				axpy(qv, yr, r.coef[k*N:k*N+N])
			}
		}
	}
	r.row = hi
	if r.row == B {
		r.row = 0
		r.phase = phResidual
	}
}

// residualUnit accumulates ‖Y − Q·coef‖² and ‖Y − Ȳ‖² (Ȳ the column means: the output's
// variation) over some rows, scaled by the largest output, so that huge or tiny outputs
// neither overflow nor underflow.
func (r *Runner) residualUnit() {
	N, B := r.cfg.Width, r.cfg.Batch
	N1 := N + 1
	y := r.xs[(r.cfg.Depth-1)&1]
	if r.row == 0 {
		r.yscale = 0
		for _, v := range y[:B*N] {
			if a := math.Abs(v); a > r.yscale {
				r.yscale = a
			}
		}
	}
	scale := r.yscale
	if r.row == 0 {
		// the output's column means: the residual is measured against the output's variation
		// (a constant output is one affine map whatever its size)
		r.ymean = grow(r.ymean, N)
		clear(r.ymean)
		for b := 0; b < B; b++ {
			for j, v := range y[b*N : b*N+N] {
				r.ymean[j] += v
			}
		}
		for j := range r.ymean {
			r.ymean[j] /= float64(B)
		}
	}
	hi := min(B, r.row+max(1, r.rowsPerUnit()/2))
	fit := r.delta2[:N] // free after the backward pass
	for b := r.row; b < hi; b++ {
		clear(fit)
		qr := r.qr[b*N1 : b*N1+N1]
		for k, qv := range qr {
			if qv != 0 {
				axpy(qv, r.coef[k*N:k*N+N], fit)
			}
		}
		for j, v := range y[b*N : b*N+N] {
			if scale > 0 {
				e := (v - fit[j]) / scale
				r.resSum += e * e
				u := (v - r.ymean[j]) / scale
				r.ySum += u * u
			}
		}
	}
	r.row = hi
	if r.row < B {
		return
	}
	switch {
	case !(scale-scale == 0):
		r.res.LinearResidual = math.NaN()
	case r.ySum == 0:
		r.res.LinearResidual = 0
		r.res.Constant = true
	default:
		r.res.LinearResidual = math.Sqrt(r.resSum / r.ySum)
	}
	if r.res.LinearResidual < LinearTol && !r.res.Constant {
		r.solveM()
		r.jac.start(r.m, N)
		r.phase = phSVD
		return
	}
	r.phase = phDone
}

// solveM computes M = (R⁻¹·coef)[:N] by back substitution: the fitted matrix, input to output.
func (r *Runner) solveM() {
	N := r.cfg.Width
	N1 := N + 1
	R := r.rr
	theta := r.coef // in place: (N+1) × N
	for k := N1 - 1; k >= 0; k-- {
		row := theta[k*N : k*N+N]
		for m := k + 1; m < N1; m++ {
			if a := R[k*N1+m]; a != 0 {
				axpy(-a, theta[m*N:m*N+N], row)
			}
		}
		d := R[k*N1+k]
		for j := range row {
			row[j] /= d
		}
	}
	r.m = grow(r.m, N*N)
	copy(r.m, theta[:N*N])
}

// jacobi computes the singular values of an n×n matrix by one-sided Jacobi rotations on its
// columns (Hestenes 1958; Demmel & Veselić 1992): the columns are rotated pairwise until they are
// orthogonal, and the singular values are then their norms.
type jacobi struct {
	a        []float64 // column-major copy: column j at a[j*n : j*n+n]
	n        int
	p, q     int
	rotated  bool
	sweeps   int
	finished bool
}

func (j *jacobi) start(m []float64, n int) {
	j.a = grow(j.a, n*n)
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			j.a[c*n+r] = m[r*n+c]
		}
	}
	j.n, j.p, j.q, j.rotated, j.sweeps, j.finished = n, 0, 1, false, 0, n < 2
}

// step does up to k·n rotations' worth of work and reports whether the columns are orthogonal.
func (j *jacobi) step(k int) bool {
	n := j.n
	for work := 0; work < k*n && !j.finished; work++ {
		ap, aq := j.a[j.p*n:j.p*n+n], j.a[j.q*n:j.q*n+n]
		var alpha, beta, gamma float64
		for i := range ap {
			alpha += ap[i] * ap[i]
			beta += aq[i] * aq[i]
			gamma += ap[i] * aq[i]
		}
		if math.Abs(gamma) > 1e-15*math.Sqrt(alpha*beta) && gamma != 0 {
			j.rotated = true
			zeta := (beta - alpha) / (2 * gamma)
			t := math.Copysign(1, zeta) / (math.Abs(zeta) + math.Sqrt(1+zeta*zeta))
			c := 1 / math.Sqrt(1+t*t)
			s := c * t
			for i := range ap {
				x, y := ap[i], aq[i]
				ap[i] = c*x - s*y
				aq[i] = s*x + c*y
			}
		}
		j.q++
		if j.q == n {
			j.p++
			j.q = j.p + 1
			if j.p >= n-1 {
				j.sweeps++
				if !j.rotated || j.sweeps >= 60 {
					j.finished = true
				}
				j.p, j.q, j.rotated = 0, 1, false
			}
		}
	}
	return j.finished
}

// values appends the singular values, largest first, to dst.
func (j *jacobi) values(dst []float64) []float64 {
	n := j.n
	for c := 0; c < n; c++ {
		var s float64
		col := j.a[c*n : c*n+n]
		var scale float64
		for _, v := range col {
			if a := math.Abs(v); a > scale {
				scale = a
			}
		}
		if scale > 0 {
			for _, v := range col {
				e := v / scale
				s += e * e
			}
		}
		dst = append(dst, scale*math.Sqrt(s))
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(dst)))
	return dst
}
