/* The activations of tinynets/measure/inside.py's ACTIVATIONS, in float64, with the same
   arithmetic (a NaN stays NaN, as numpy's maximum keeps it): what the 1-D inside kinds
   (inside.js) and the plane's field (plane_net.js) compute a net with. */

/* Abramowitz & Stegun 7.1.26, as measure/inside.py's _erf (GELU without a library) */
function erf(value) {
  const sign = Math.sign(value);
  const v = Math.abs(value);
  const t = 1 / (1 + 0.3275911 * v);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
    -1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-v * v));
}

export const ACTIVATIONS = {
  relu: (v) => Math.max(v, 0),
  tanh: Math.tanh,
  sigmoid: (v) => 0.5 * (1 + Math.tanh(0.5 * v)),
  elu: (v) => (v > 0 ? v : Math.expm1(Math.min(v, 0))),
  linear: (v) => v,
  gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  softplus: (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))),   // numpy's logaddexp(0, v)
};
