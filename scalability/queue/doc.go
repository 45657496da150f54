// Package queue sizes server pools with the classic queueing formulas:
// Erlang B and Erlang C for M/M/c, the Allen-Cunneen correction for
// G/G/c, and staffing rules that turn a wait objective into a number of
// servers.
//
// Everything is pure computation on float64 and stays finite for pools
// of any practical size:
//
//  1. ErlangB runs the recursion B(k) = a B(k-1) / (k + a B(k-1)), whose
//     terms all lie in (0, 1], so it cannot overflow; the textbook
//     factorial formula overflows float64 near c = 170.
//  2. ErlangC follows from B as C = B / (1 - rho (1 - B)).
//  3. MMC and GGc describe one queue and answer its mean wait and the
//     probability that a wait exceeds a bound.
//  4. ServersFor finds the fewest servers that meet a wait objective,
//     walking the recursion upwards from the offered load, so it costs
//     O(c) for c servers (about a millisecond at c = 100,000).
//  5. SqrtStaffing and HalfinWhittBeta give the square-root staffing
//     estimate c = a + beta sqrt(a) as an independent cross-check.
//
// Units: rates are per second, service times in seconds, offered load a
// in erlangs (arrival rate times mean service time).
package queue
