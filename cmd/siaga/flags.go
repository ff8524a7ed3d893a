package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/deskpemilu/siaga"
)

// flagSet is a command's flags. Its Parse answers a bad command line with
// one message in both languages and a pointer to the command's help,
// instead of the standard package's English error followed by every flag.
type flagSet struct {
	*flag.FlagSet
	name string
	// valueErr is the last value a flag of ours refused, in both
	// languages: the flag package keeps only the text of a Set error.
	valueErr *siaga.Error
}

// failedOutput records that the flag package wrote an error message, so
// that Usage, which it calls after errors and for -h alike, lists the
// flags only when they were asked for.
type failedOutput struct{ failed bool }

func (o *failedOutput) Write(p []byte) (int, error) { o.failed = true; return len(p), nil }

// flags returns the flag set of a command whose errors come back as values.
func flags(name string, e *env) *flagSet {
	fs := flag.NewFlagSet("siaga "+name, flag.ContinueOnError)
	out := &failedOutput{}
	fs.SetOutput(out)
	fs.Usage = func() {
		if out.failed {
			return
		}
		fmt.Fprintf(e.stderr, "Usage of siaga %s:\n", name)
		fs.SetOutput(e.stderr)
		fs.PrintDefaults()
		fs.SetOutput(out)
	}
	return &flagSet{FlagSet: fs, name: name}
}

// Parse parses args; a bad flag or value is an EInvalid naming the flag,
// in both languages, with the command's help to turn to.
func (f *flagSet) Parse(args []string) error {
	err := f.FlagSet.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	e := f.flagError(err.Error())
	e.Message += fmt.Sprintf(" (lihat `siaga help %s`)", f.name)
	e.MessageEN += fmt.Sprintf(" (see `siaga help %s`)", f.name)
	return e
}

var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	invalidValue  = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for flag -+([^:]*): (.*)$`)
	needsValue    = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
)

// flagError turns the flag package's messages, the only form in which it
// gives its errors, into ours.
func (f *flagSet) flagError(msg string) *siaga.Error {
	if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
		return siaga.Errorf(siaga.EInvalid, "--"+m[1], "flag ini tidak ada", "no such flag")
	}
	if m := needsValue.FindStringSubmatch(msg); m != nil {
		return siaga.Errorf(siaga.EInvalid, "--"+m[1], "perlu nilai", "needs a value")
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		if v := f.valueErr; v != nil {
			return siaga.Errorf(siaga.EInvalid, "--"+m[2], "%q: "+v.Message, "%q: "+v.MessageEN, m[1])
		}
		return siaga.Errorf(siaga.EInvalid, "--"+m[2], "nilai %q tidak sah: %s", "invalid value %q: %s", m[1], m[3])
	}
	return siaga.Errorf(siaga.EInvalid, "", "argumen tidak sah: %s", "invalid argument: %s", msg)
}

// refuse is what a flag's Set returns for a value it cannot take: id and
// en say why and what it takes, in Bahasa Indonesia and in English.
func (f *flagSet) refuse(id, en string, args ...any) error {
	f.valueErr = siaga.Errorf(siaga.EInvalid, "", id, en, args...)
	return f.valueErr
}

// DurationVar is flag's, with a message that says what a duration looks
// like: "parse error" helps nobody.
func (f *flagSet) DurationVar(p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	f.Var(&durationValue{p: p, fs: f}, name, usage)
}

type durationValue struct {
	p  *time.Duration
	fs *flagSet
}

func (d *durationValue) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return d.fs.refuse("bukan lama waktu; contoh: 10m, 90s, 1h30m", "not a duration; e.g. 10m, 90s, 1h30m")
	}
	*d.p = v
	return nil
}

func (d *durationValue) String() string {
	if d.p == nil {
		return "0s"
	}
	return d.p.String()
}

// printError writes a failed command's error: a user's error (siaga.Error)
// in Bahasa Indonesia with the English beside it, as the web does; any
// other error as it is.
func printError(w io.Writer, err error) {
	var e *siaga.Error
	if !errors.As(err, &e) {
		fmt.Fprintln(w, "siaga:", err)
		return
	}
	field := ""
	if e.Field != "" {
		field = e.Field + ": "
	}
	fmt.Fprintf(w, "siaga: %s%s\nsiaga: %s%s\n", field, e.Message, field, e.MessageEN)
}
