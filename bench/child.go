package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/deskpemilu/siaga/priority"
)

// child is a siaga process the benchmark talks to over loopback, as real
// clients talk to a real server: its Go scheduler and collector serve only
// it, not the load generator as well.
type child struct {
	cmd    *exec.Cmd
	url    string
	stdout *tailBuffer // what it printed after its URL
	stderr *tailBuffer
	done   chan error
}

var childURL = regexp.MustCompile(`http://[0-9.:\[\]a-z]+`)

// startChild runs exe with args and waits for the first URL it prints on
// its standard output, which is where it listens.
func startChild(ctx context.Context, exe string, args ...string) (*child, error) {
	cmd := exec.Command(exe, args...)
	dieWithParent(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("piping %s: %w", args[0], err)
	}
	c := &child{cmd: cmd, stdout: &tailBuffer{max: 64 << 10}, stderr: &tailBuffer{max: 8 << 10}, done: make(chan error, 1)}
	cmd.Stderr = c.stderr
	if err := priority.Start(cmd); err != nil { // Pdeathsig follows the starting thread: priority.Start
		return nil, fmt.Errorf("starting %s %s: %w", exe, args[0], err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u := childURL.FindString(sc.Text()); u != "" {
				found <- u
				break
			}
		}
		for sc.Scan() { // keep the pipe drained so the child never blocks on it
			c.stdout.Write(append(sc.Bytes(), '\n'))
		}
		c.done <- cmd.Wait()
	}()
	select {
	case c.url = <-found:
		return c, nil
	case err := <-c.done:
		return nil, fmt.Errorf("%s %s exited before listening (%v): %s", exe, args[0], err, c.stderr)
	case <-time.After(2 * time.Minute):
	case <-ctx.Done():
	}
	c.stop()
	return nil, fmt.Errorf("%s %s did not start listening: %s", exe, args[0], c.stderr)
}

// peakRSSMB is the child's peak resident set so far, read before it stops.
func (c *child) peakRSSMB() float64 {
	return vmHWM(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
}

// stop asks the child to finish (SIGTERM, as an operator would) and kills
// it if it has not within ten seconds.
func (c *child) stop() error {
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.done:
		var exit *exec.ExitError
		if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == -1) {
			return fmt.Errorf("%s: %w: %s", c.cmd.Args[1], err, c.stderr)
		}
		return nil
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		return fmt.Errorf("%s did not stop within 10 s; killed", c.cmd.Args[1])
	}
}

// tailBuffer keeps the last max bytes written to it, for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   bytes.Buffer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(p)
	if over := t.b.Len() - t.max; over > 0 {
		t.b.Next(over)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(t.b.String())
}

// executable is the siaga binary to run children from.
func executable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the siaga binary: %w", err)
	}
	return exe, nil
}
