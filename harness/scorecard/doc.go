// Package scorecard turns the records of a run into the answer the suite
// exists to give: for each Key Target of DESIGN.md, its figures, the bound
// they are judged against, where they came from and the verdict.
//
// The rules, applied by Build:
//
//  1. Each record that names a Key Target joins that target's row;
//     records without a target are supporting figures and stay out.
//  2. A row's verdict is the worst verdict among its judged figures:
//     fail before not-measured before pass. Info figures are shown but
//     decide nothing. A failure counts wherever it comes from, but a pass
//     needs a passing figure from the category that decides the target
//     (simulation for volume, performance for speed, ...): inputs that
//     pass do not make a verdict.
//  3. A row without a judged figure is not measured, never a pass, and
//     says why: which package would have measured it and what happened to
//     that package in the run (not present, not selected, skipped with its
//     reason, failed, or ran without writing a record).
//  4. Figures of one scorecard that come from different machines are
//     flagged: their numbers are not comparable.
//  5. The overall verdict passes only when every target passes.
package scorecard
