// Package cli is kq's command line: the root command, global options, the
// exit-code policy and the command tree. It is the only home of cobra and
// viper; commands live in sub-packages named after their noun.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/server"
	"github.com/spf13/cobra"
)

// Main runs kq with the process's arguments, streams and environment and
// returns the exit code. Ctrl-C or SIGTERM cancels the running command's
// context; a second one kills the process.
func Main(args []string) int {
	ctx, stop := interruptContext(context.Background())
	defer stop()
	return Run(ctx, args, iostreams.System(os.Getenv), os.Getenv)
}

// Run runs one kq invocation and returns its exit code. Tests call it with
// their own streams and environment; the cluster address comes from args or
// getenv like for a user.
func Run(ctx context.Context, args []string, ios *iostreams.IOStreams, getenv func(string) string) int {
	f := &factory.Factory{IOStreams: ios, Getenv: getenv, Now: time.Now}
	f.WireClients()
	root := newRootCmd(f)
	defer f.Close()
	root.SetArgs(server.NormalizeDaemonFlag(args))
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	cmd, err := root.ExecuteContextC(ctx)
	return report(ctx, ios, cmd, f.ExplainError(err))
}

// report prints err for people and returns the exit code. A TLS, SASL or
// credentials failure comes explained (Factory.ExplainError).
func report(ctx context.Context, ios *iostreams.IOStreams, cmd *cobra.Command, err error) int {
	if err == nil {
		return clierr.CodeOK
	}
	if errors.Is(context.Cause(ctx), clierr.ErrInterrupted) {
		return clierr.CodeInterrupted // the user knows; the command said what it did
	}
	err = classifyCobraError(err)
	code := clierr.Code(err)
	if !errors.Is(err, clierr.ErrSilent) {
		fmt.Fprintf(ios.ErrOut, "Error: %v\n", err)
	}
	var badConfig *admin.ConfigError
	if code == clierr.CodeUsage && cmd != nil && !errors.As(err, &badConfig) {
		fmt.Fprintf(ios.ErrOut, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return code
}

// classifyCobraError marks the few parse errors cobra returns untyped.
func classifyCobraError(err error) error {
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "unknown flag", "unknown shorthand", "required flag", "invalid argument", "flag needs an argument"} {
		if strings.HasPrefix(msg, prefix) {
			return clierr.Usage(err)
		}
	}
	return err
}

// interruptContext is cancelled with cause clierr.ErrInterrupted on the
// first SIGINT or SIGTERM; after that the default handling returns, so a
// second Ctrl-C ends a stuck process.
func interruptContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-sigs:
			signal.Stop(sigs)
			cancel(clierr.ErrInterrupted)
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		cancel(nil)
	}
}
