package groups

import "context"

// run calls the test's runner when set, else the verb's real run.
func run[O any](ctx context.Context, runF, real func(context.Context, *O) error, opts *O) error {
	if runF != nil {
		return runF(ctx, opts)
	}
	return real(ctx, opts)
}
