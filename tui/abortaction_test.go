package tui

import "github.com/kqhq/kq/admin"

// kq tui's source is the admin client: it must have the abort's calls.
var _ txnAdmin = (*admin.Client)(nil)
