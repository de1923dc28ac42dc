package groups

import "github.com/kqhq/kq/cmd/kq/internal/cli/clierr"

// usagef and usage mark command-line mistakes (exit 2).
func usagef(format string, args ...any) error { return clierr.Usagef(format, args...) }

func usage(err error) error { return clierr.Usage(err) }
