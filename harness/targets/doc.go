// Package targets loads scale.yaml: the Key Targets of the platform and the
// architecture declared to meet them.
//
// Every other package reads its settings from here, so the rules live in one
// place:
//
//  1. Load (or Parse) decodes the file strictly: an unknown key, a value of
//     the wrong type or an impossible value is an error naming the field's
//     path and its line. Validation collects every problem at once.
//  2. Keys a file leaves out keep the values of Default, which match the
//     scale.yaml at the root of the repository.
//  3. Derive turns the configuration into the figures the models share:
//     videos per day and per second (mean, peak hour, burst), mean video
//     length, media seconds and source bytes per day.
//  4. CurrentScale tells a test which of the three scales it runs at, and
//     Config.Scales says how large each one is.
package targets
