/* Numbers as the figures write them, and the ranges their axes take (no drawing here). */

const MINUS = "\u2212";

export function formatTick(value) {
  if (value == null || !isFinite(value)) return "";
  const abs = Math.abs(value);
  let text;
  if (abs >= 1000) text = Math.round(value).toLocaleString("en");
  else if (abs !== 0 && abs < 1e-3) text = value.toExponential(0).replace("e", "e");
  else text = String(Number(value.toPrecision(6)));
  return text.replace("-", MINUS);
}

export function formatEpoch(epoch) {
  return Number(epoch).toLocaleString("en");
}

/* three significant digits, "diverged" for NaN (as the captions and the renderer write it) */
export function formatError(value) {
  if (value == null || !isFinite(value)) return "diverged";
  if (value !== 0 && Math.abs(value) < 1e-3) {
    return value.toExponential(2).replace(/\.?0+e/, "e").replace("-", MINUS);
  }
  return String(Number(value.toPrecision(3)));
}

/* Ticks of a log axis: every decade, and 2 and 5 (and 3) times it when few decades show. */
export function logSplits(min, max) {
  const decades = Math.log10(max / min);
  const mantissas = decades <= 1.3 ? [1, 2, 3, 5] : decades <= 2.6 ? [1, 2, 5] : [1];
  const every = decades > 7 ? 2 : 1;
  const splits = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent++) {
    if (exponent % every) continue;
    for (const mantissa of mantissas) {
      const value = Number((mantissa * Math.pow(10, exponent)).toPrecision(12));
      if (value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9)) splits.push(value);
    }
  }
  return splits;
}

/* Log-axis limits of losses: from below the noise floor to above the finite losses, at least a
   decade (as the fallback's renderer sets them). */
export function lossLimits(values, floor) {
  const finite = [];
  for (const value of values) if (isFinite(value) && value > 0) finite.push(value);
  let low = 1e-3, high = 1;
  if (finite.length) {
    finite.sort((a, b) => a - b);
    const percentile = finite[Math.min(finite.length - 1, Math.floor(0.995 * (finite.length - 1)))];
    high = Math.min(finite[finite.length - 1], percentile * 10);
    low = finite[0];
  }
  if (floor > 0) low = Math.min(low, floor);
  low /= 1.6;
  high *= 1.6;
  if (high / low < 10) low = high / 10;
  return [low, high];
}

/* y limits that hold the data points and the true function with a margin (shared by panels). */
export function valueLimits(nets) {
  let low = Infinity, high = -Infinity;
  for (const net of nets) {
    for (const values of [net.pointsY, net.truth || []]) {
      for (const value of values) {
        if (isFinite(value)) { low = Math.min(low, value); high = Math.max(high, value); }
      }
    }
  }
  if (!(high > low)) { low = (isFinite(low) ? low : 0) - 1; high = low + 2; }
  const margin = 0.16 * (high - low);
  return [low - margin, high + margin];
}

