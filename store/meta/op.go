package meta

import "fmt"

// Op is one operation of a Multi: a CreateOp, SetOp, DeleteOp or CheckOp.
type Op interface {
	// OpPath is the path the operation acts on.
	OpPath() string
	fmt.Stringer
}

// CreateOp creates a node, as Store.Create.
type CreateOp struct {
	Path string
	Data []byte
	Mode CreateMode
}

// SetOp replaces a node's data, as Store.Set.
type SetOp struct {
	Path    string
	Data    []byte
	Version int32
}

// DeleteOp removes a node, as Store.Delete.
type DeleteOp struct {
	Path    string
	Version int32
}

// CheckOp changes nothing but fails the Multi unless the node exists with
// the given version (AnyVersion: exists at all). Kafka's controller guards
// its writes with a CheckOp on /controller_epoch.
type CheckOp struct {
	Path    string
	Version int32
}

// OpResult is the outcome of one successful operation of a Multi.
type OpResult struct {
	// Path is the created path for a CreateOp (with its sequence number),
	// else the operation's path.
	Path string
	// Stat is the node's new Stat after a SetOp; zero for other ops.
	Stat Stat
}

func (o CreateOp) OpPath() string { return o.Path }
func (o SetOp) OpPath() string    { return o.Path }
func (o DeleteOp) OpPath() string { return o.Path }
func (o CheckOp) OpPath() string  { return o.Path }

func (o CreateOp) String() string { return fmt.Sprintf("create %s (%s)", o.Path, o.Mode) }
func (o SetOp) String() string    { return fmt.Sprintf("set %s (version %d)", o.Path, o.Version) }
func (o DeleteOp) String() string { return fmt.Sprintf("delete %s (version %d)", o.Path, o.Version) }
func (o CheckOp) String() string  { return fmt.Sprintf("check %s (version %d)", o.Path, o.Version) }
