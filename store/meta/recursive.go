package meta

import (
	"context"
	"errors"
)

// CreateRecursive creates path with mode, first creating any missing
// ancestors as empty persistent nodes, as Kafka's createRecursive: when
// the parent exists it costs one call. Ancestors that already exist (or
// appear concurrently) are fine; an existing path itself is still
// ErrNodeExists, so callers can tell who won a race to create it.
func CreateRecursive(ctx context.Context, s Store, path string, data []byte, mode CreateMode) (string, error) {
	created, err := s.Create(ctx, path, data, mode)
	if !errors.Is(err, ErrNoNode) {
		return created, err
	}
	if err := ensure(ctx, s, Parent(path+"0")); err != nil { // "0": a sequential path may end in "/"
		return "", err
	}
	return s.Create(ctx, path, data, mode)
}

// EnsurePath creates path and its missing ancestors as empty persistent
// nodes, succeeding if they already exist (Kafka's makeSurePersistentPathExists).
func EnsurePath(ctx context.Context, s Store, path string) error {
	if err := ValidatePath(path); err != nil {
		return NewPathError("create", path, err)
	}
	return ensure(ctx, s, path)
}

// ensure creates path if missing, its ancestors first when they are
// missing too.
func ensure(ctx context.Context, s Store, path string) error {
	if path == "/" {
		return nil
	}
	_, err := s.Create(ctx, path, nil, Persistent)
	if errors.Is(err, ErrNoNode) {
		if err := ensure(ctx, s, Parent(path)); err != nil {
			return err
		}
		_, err = s.Create(ctx, path, nil, Persistent)
	}
	if errors.Is(err, ErrNodeExists) {
		return nil
	}
	return err
}

// DeleteRecursive deletes path and everything below it, children first.
// Nodes that vanish concurrently are ignored; a missing path is not an
// error. It is not atomic: a failure can leave part of the subtree.
func DeleteRecursive(ctx context.Context, s Store, path string) error {
	children, _, err := s.Children(ctx, path)
	if errors.Is(err, ErrNoNode) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, c := range children {
		if err := DeleteRecursive(ctx, s, Join(path, c)); err != nil {
			return err
		}
	}
	err = s.Delete(ctx, path, AnyVersion)
	if errors.Is(err, ErrNoNode) {
		return nil
	}
	return err
}
